"""HTML to text: hidden content dropped, structure kept, whitespace collapsed, nothing executed."""

from __future__ import annotations

from omnicase.email.html_to_text import html_to_text


def test_drops_head_script_style_template_and_keeps_link_text():
    html = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<script>alert('x')</script><template><p>hidden</p></template>"
        '<p>Hello <a href="https://example.com/x">the manual</a>!</p><noscript>enable js</noscript></body></html>'
    )
    assert html_to_text(html) == "Hello the manual!"


def test_blocks_and_breaks_become_lines_and_whitespace_collapses():
    html = (
        "<div>one\n   two</div><p>three<br>four&nbsp;&nbsp;five</p>"
        "<ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>"
    )
    assert html_to_text(html) == "one two\n\nthree\nfour five\n\n- a\n- b\n\nx y"


def test_tracking_pixels_and_comments_leave_nothing():
    assert html_to_text('<p>Hi</p><img src="https://t.example.com/o.gif" width="1" height="1"><!-- c -->') == "Hi"


def test_fragments_and_empty_input():
    assert html_to_text("Hello,<p>\r\n\r\nWorld") == "Hello,\nWorld"
    assert html_to_text("   ") == ""


def test_deep_nesting_does_not_blow_the_stack():
    assert html_to_text("<div>" * 50_000 + "deep" + "</div>" * 50_000) == "deep"


def test_moderate_nesting_still_uses_the_tree():
    assert html_to_text("<div><script>x()</script>" * 900 + "ok" + "</div>" * 900) == "ok"


def test_unclosed_tags_are_linear_not_quadratic():
    assert html_to_text("<a" * 200_000) == ""
