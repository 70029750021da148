"""The site's MkDocs plugin, ``nndl`` (registered by entry point in pyproject.toml; mkdocs.yml
lists it after ``search``). It does nothing itself: each event calls the modules of
:mod:`nndl_site` that take part in it, in this order:

- lessons first: the checked figures of the prose become plain text before anything reads it;
- cells, then exercises (which reads the cells' options), explorables and notebooks;
- accessibility and security, on every written page;
- on_post_build: cells copies the browser code and the runtime into site/, notebooks publishes
  the engine's wheel, maths draws the formulas into the written pages, and offline, last, hashes
  all of it for the service worker.
"""

from mkdocs.plugins import BasePlugin

from nndl_site import (
    accessibility,
    cells,
    exercises,
    explorables,
    lessons,
    maths,
    notebooks,
    offline,
    security,
)


class Plugin(BasePlugin):
    def on_config(self, config):
        for module in (cells, exercises, explorables, notebooks):
            config = module.on_config(config)
        return config

    def on_files(self, files, /, *, config):
        return notebooks.on_files(files, config)

    def on_page_markdown(self, markdown, /, *, page, config, files):
        markdown = lessons.on_page_markdown(markdown, page)
        return notebooks.on_page_markdown(markdown, page, config, files)

    def on_page_content(self, html, /, *, page, config, files):
        return exercises.on_page_content(html, page, config, files)

    def on_post_page(self, output, /, *, page, config):
        for module in (cells, exercises, accessibility, security):
            output = module.on_post_page(output, page, config)
        return output

    def on_post_template(self, output_content, /, *, template_name, config):
        for module in (accessibility, security):
            output_content = module.on_post_template(output_content, template_name, config)
        return output_content

    def on_post_build(self, *, config):
        for module in (cells, notebooks, maths, offline):
            module.on_post_build(config)
