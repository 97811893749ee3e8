"""Snippet HTML is escaped first; only the engine's markers become <mark>, always balanced."""

from anliegen.search.highlight import START, STOP, mark_substring, plain, to_html


def test_text_is_escaped_and_markers_become_marks():
    marked = f'<img src=x onerror="alert(1)"> {START}Rechnung{STOP} & <script>'
    assert (
        to_html(marked) == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>Rechnung</mark> &amp; &lt;script&gt;"
    )


def test_stray_markers_never_unbalance_the_html():
    assert to_html(f"{STOP}a{START}b{START}c") == "a<mark>bc</mark>"
    assert to_html(f"{START}{START}x{STOP}{STOP}") == "<mark>x</mark>"


def test_substring_marks_ignore_case_and_escape():
    assert mark_substring("<b>Jana Krüger</b>", "krüger") == "&lt;b&gt;Jana <mark>Krüger</mark>&lt;/b&gt;"
    assert mark_substring(f"a{START}b", "") == "ab"


def test_plain_shortens_and_escapes():
    assert plain("<x>" + "a" * 200, 10) == "&lt;x&gt;aaaaaa…"
