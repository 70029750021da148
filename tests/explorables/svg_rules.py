"""The rules every explorable's drawing follows, checked in one place for all their tests."""

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def check_svgs(html):
    """The view parses as XML and each of its <svg> drawings follows the site's rules: role,
    size and viewBox, a title and a description, unique ids, no script, no style or event
    attributes, nothing from another host. Returns the <svg> elements (the root, or its children
    for two panels side by side)."""
    root = ET.fromstring(html)
    svgs = [root] if root.tag == f"{SVG}svg" else root.findall(f"{SVG}svg")
    assert svgs, "no <svg> in the view"
    for svg in svgs:
        assert svg.get("role") == "img"
        assert svg.get("viewBox") and svg.get("width") and svg.get("height")
        assert (svg.find(f"{SVG}title").text or "").strip()
        assert (svg.find(f"{SVG}desc").text or "").strip()
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for el in root.iter():
        assert el.tag not in (f"{SVG}script", f"{SVG}foreignObject", "script")
        for name, value in el.attrib.items():
            assert name != "style" and not name.lower().startswith("on"), (el.tag, name)
            assert "http" not in value or name == "xmlns", (el.tag, name, value)
    return svgs


def check_drawing(html):
    """check_svgs for a view that is one <svg> drawing; returns that <svg> root."""
    root = ET.fromstring(html)
    assert root.tag == f"{SVG}svg"
    check_svgs(html)
    return root
