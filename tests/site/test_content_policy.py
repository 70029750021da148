"""The Content-Security-Policy of nndl_site/security.py, computed for a page (the built site's
pages carry it in every browser: site_tests/test_security.py)."""

from nndl_site import security as hook


def test_inline_scripts_are_allowed_by_their_hash_and_data_blocks_are_not_counted():
    page = (
        "<html><head><title>t</title></head><body>"
        '<script id="__config" type="application/json">{"a": 1}</script>'
        "<script>var x = 1</script><script>var x = 1</script>"
        '<script src="a.js"></script><script type="module">import "./b.js"</script>'
        "</body></html>"
    )
    hashes = hook.inline_script_hashes(page)
    # sha256 of "var x = 1" and of 'import "./b.js"', each once
    assert hashes == sorted(["'sha256-N60kUlwenMflW2PjeDfmsJ10+Kxk28vGVMeqk/lPTmQ='",
                             "'sha256-tjnDhHukYwDZMap+CFJka8Ygr8DCn087tWQ8MwKBuHg='"])
    out = hook.with_policy(page)
    assert out.startswith('<html><head><meta http-equiv="Content-Security-Policy" content="default-src')
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in out
