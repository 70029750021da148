"""Site build: names that Material's template leaves out, added to every page.

- The bar that instant navigation shows while the next page loads is a progressbar with no
  name; a screen reader announces it as "progress bar" and nothing more. It is named here
  ("Loading the page").
- The search box opens in a dialog with no name (Lighthouse's aria-dialog-name); it is named
  here ("Search").
"""

PROGRESS = '<div class="md-progress" data-md-component="progress" role="progressbar">'
NAMED_PROGRESS = PROGRESS[:-1] + ' aria-label="Loading the page">'
SEARCH = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_SEARCH = SEARCH[:-1] + ' aria-label="Search">'


def with_names(html):
    return html.replace(PROGRESS, NAMED_PROGRESS).replace(SEARCH, NAMED_SEARCH)


def on_post_page(output, page, config):
    return with_names(output)


def on_post_template(output_content, template_name, config):
    """The pages made from templates alone (404.html)."""
    return with_names(output_content) if template_name.endswith(".html") else output_content
