"""Markdown to safe HTML: what authors may write, and what never survives."""

from __future__ import annotations

import pytest

from opsrepo.rules.runbook_links import Link, make_parser
from opsrepo.site.markdown import _parser, highlight, render_markdown, sanitise


def keep(link: Link) -> str:
    return link.href


def html_of(body: str) -> str:
    return render_markdown(body, 1, keep).html


@pytest.mark.parametrize(("markdown", "expected"), [
    ("<script>window.x = 1</script>\n", "\n"),
    ('<img src="x.png" onerror="window.x=1">\n', '<img src="x.png">\n'),
    ('<svg onload="window.x=1"><circle r="5"></circle></svg>\n', "<p></p>\n"),
    ('<iframe src="https://evil.example"></iframe>\n', "\n"),
    ('<a href="javascript:window.x=1">x</a>\n', '<p><a rel="noopener noreferrer">x</a></p>\n'),
    ('<a href="  JaVaScRiPt:window.x=1">x</a>\n', '<p><a rel="noopener noreferrer">x</a></p>\n'),
    ('<a href="&#106;avascript:window.x=1">x</a>\n', '<p><a rel="noopener noreferrer">x</a></p>\n'),
    ('<a href="vbscript:msgbox(1)">x</a>\n', '<p><a rel="noopener noreferrer">x</a></p>\n'),
    ("[x](javascript:window.x=1)\n", "<p>[x](javascript:window.x=1)</p>\n"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)\n", "<p>![x](data:image/svg+xml;base64,PHN2Zz4=)</p>\n"),
    ('<form action="https://evil.example"><input name="p" type="text"></form>\n', '<input type="checkbox">\n'),
    ('<p style="position:fixed">overlay</p>\n', "<p>overlay</p>\n"),
    ('<object data="x"></object><embed src="x">\n', "<p></p>\n"),
    ('<style>body { display: none }</style>\n', "\n"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">\n', "\n"),
    ('<base href="https://evil.example/">\n', "\n"),
    ('<details open ontoggle="window.x=1"><summary>s</summary>t</details>\n',
     '<details open=""><summary>s</summary>t</details>\n'),
    ('<div id="ops-content" class="x y" data-x="1">d</div>\n', '<div class="x y">d</div>\n'),
    ('<a href="https://example.com" onclick="window.x=1" target="_blank">ok</a>\n',
     '<p><a href="https://example.com" rel="noopener noreferrer">ok</a></p>\n'),
    ("<!-- a comment -->\n", "\n"),
    ('<math><mtext><table><mglyph><style><img src=x onerror="window.x=1"></style></mglyph></table></mtext></math>\n',
     "<p></p>\n"),
])
def test_nothing_that_runs_survives(markdown: str, expected: str) -> None:
    assert html_of(markdown) == expected


def test_code_is_text_whatever_it_holds() -> None:
    body = "```\n</code></pre><script>window.x=1</script>\n```\n\n`<script>y</script>`\n"
    assert html_of(body) == (
        "<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;window.x=1&lt;/script&gt;\n</code></pre>\n"
        "<p><code>&lt;script&gt;y&lt;/script&gt;</code></p>\n"
    )


def test_fenced_code_is_highlighted_with_classes() -> None:
    assert html_of("```bash\necho hi\n```\n") == (
        '<pre class="highlight"><code class="language-bash"><span class="nb">echo</span>'
        '<span class="w"> </span>hi\n</code></pre>\n'
    )


def test_unknown_or_odd_languages_are_escaped_plain_code() -> None:
    assert html_of("```nosuchlang\nx < y\n```\n") == (
        '<pre><code class="language-nosuchlang">x &lt; y\n</code></pre>\n')
    assert highlight("x", 'bash" onload="x', "") == ""


def test_headings_get_ids_permalinks_and_a_table_of_contents() -> None:
    rendered = render_markdown("# Title\n\n## Fail over\n\n## Fail over\n\n### `kubectl` steps\n", 1, keep)
    assert rendered.headings == [(1, "title", "Title"), (2, "fail-over", "Fail over"),
                                 (2, "fail-over-1", "Fail over"), (3, "kubectl-steps", "kubectl steps")]
    assert rendered.html.splitlines()[1] == (
        '<h2 id="fail-over">Fail over <a class="anchor" href="#fail-over" '
        'aria-label="Link to this section: Fail over" data-pagefind-ignore="" rel="noopener noreferrer">#</a></h2>')


def test_headings_never_take_the_sites_own_ids() -> None:
    assert render_markdown("## Ops content\n", 1, keep).headings == [(2, "section-ops-content", "Ops content")]


def test_a_first_heading_that_repeats_the_title_is_left_out() -> None:
    assert render_markdown("# Disk  full\n\nText.\n", 1, keep, title="disk full").html == "<p>Text.</p>\n"
    assert render_markdown("# Other\n\nText.\n", 1, keep, title="Disk full").headings == [(1, "other", "Other")]


def test_tables_align_with_classes_not_styles() -> None:
    assert html_of("| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n") == (
        "<table>\n<thead>\n<tr>\n<th class=\"align-left\">a</th>\n<th class=\"align-right\">b</th>\n"
        "<th class=\"align-center\">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td class=\"align-left\">1</td>\n"
        "<td class=\"align-right\">2</td>\n<td class=\"align-center\">3</td>\n</tr>\n</tbody>\n</table>\n"
    )


def test_task_lists_are_checkboxes_named_by_their_text_without_a_label() -> None:
    # no <label>: Pagefind skips a label's text, so a checklist step could not be found
    assert html_of("- [ ] roll back\n- [x] page\n  - [ ] nested\n\n## Task 1\n") == (
        '<ul class="contains-task-list">\n'
        '<li class="task-list-item enabled"><input class="task-list-item-checkbox" aria-labelledby="ops-task-1" '
        'type="checkbox"><span id="ops-task-1"> roll back</span></li>\n'
        '<li class="task-list-item enabled"><input class="task-list-item-checkbox" checked="checked" '
        'aria-labelledby="ops-task-2" type="checkbox"><span id="ops-task-2"> page</span>\n'
        '<ul class="contains-task-list">\n'
        '<li class="task-list-item enabled"><input class="task-list-item-checkbox" aria-labelledby="ops-task-3" '
        'type="checkbox"><span id="ops-task-3"> nested</span></li>\n</ul>\n</li>\n</ul>\n'
        '<h2 id="task-1">Task 1 <a class="anchor" href="#task-1" aria-label="Link to this section: Task 1" '
        'data-pagefind-ignore="" rel="noopener noreferrer">#</a></h2>\n'
    )


def test_links_and_images_go_through_the_rewriter_with_their_position() -> None:
    seen: list[Link] = []

    def rewrite(link: Link) -> str | None:
        seen.append(link)
        return None if link.href == "gone.md" else "new-" + link.href

    html = render_markdown("Intro.\n\nSee [a](a.md),\nthen [b](gone.md) ![c](c.png).\n", 10, rewrite).html
    assert html == ('<p>Intro.</p>\n<p>See <a href="new-a.md" rel="noopener noreferrer">a</a>,\n'
                    'then b <img src="new-c.png" alt="c">.</p>\n')
    assert seen == [Link("a.md", 12, 9), Link("gone.md", 13, 10), Link("c.png", 13, 24, image=True)]


def test_autolinks_and_external_links_keep_their_target() -> None:
    assert html_of("<https://example.com/a?b=1>\n") == (
        '<p><a href="https://example.com/a?b=1" rel="noopener noreferrer">https://example.com/a?b=1</a></p>\n')


def test_sanitise_keeps_the_allowed_structure() -> None:
    allowed = "<p><kbd>Ctrl</kbd> <del>old</del> <abbr title=\"Tier\">T</abbr></p>"
    assert sanitise(allowed) == allowed


@pytest.mark.parametrize(("classes", "kept"), [
    ("x y-z_1", ' class="x y-z_1"'),
    ("x  y", ' class="x y"'),
    (" x\ty ", ' class="x y"'),
    ("ok bad!word x", ' class="ok x"'),
    ("x " + "w" * 61, ' class="x"'),
    ("w" * 60, f' class="{"w" * 60}"'),
    ("bad! <no>", ""),
    ("", ""),
])
def test_a_class_keeps_only_plain_words(classes: str, kept: str) -> None:
    assert html_of(f'<span class="{classes}">s</span>\n') == f"<p><span{kept}>s</span></p>\n"


@pytest.mark.parametrize("body", [
    "a\r\nb\r\n\r\n# Heading\r", "x\ry\n\r\nz\r\r\n", "nul \0 here\n\0", "\r\r\n\n\0\0", "plain\n\n- item\n",
    "```sh\r\necho hi\r\n```\r\n",
])
def test_line_endings_and_nul_are_read_as_markdown_its_own_rule_reads_them(body: str) -> None:
    ours = [token.as_dict() for token in _parser().parse(body)]
    assert ours == [token.as_dict() for token in make_parser(highlight=highlight).parse(body)]


def test_every_line_ending_is_a_newline_and_nul_a_replacement_character() -> None:
    assert html_of("a\r\nb\rc\0d\n\r\n[x](y.md)\r") == (
        '<p>a\nb\nc\ufffdd</p>\n<p><a href="y.md" rel="noopener noreferrer">x</a></p>\n')
