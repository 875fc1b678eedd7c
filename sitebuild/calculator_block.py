r"""The ``/// calculator | <id>`` block: a calculator's form and its default result, at build time.

Syntax (on lines of their own; no options, no content)::

    /// calculator | oral-titration
    ///

renders, from the calculator's spec in :mod:`calculators` (nothing typed twice)::

    <div class="calculator-block" id="calculator-oral-titration"><div class="calculator">
      <form class="calc-form" data-calculator="oral-titration" novalidate
            data-refs-href="../references/">
            (where the runtime is, the finish step says once per page, in <head>)
        <fieldset disabled data-until-live> <legend>title</legend> (calculators.js enables it)
          one .calc-field per spec field: <label for>, <input type=text inputmode=decimal
          data-min data-max data-step> (what is typed goes to Python as it is)
          (or <select>, or <input type=date>), the unit, help text with citation links and an
          empty error slot, both tied to the input by aria-describedby
        </fieldset>
        <noscript> why the values cannot be changed (JavaScript off) </noscript>
        <div class="calc-actions" hidden> copy / CSV / link / print buttons (JS shows them)
        <div class="calc-output" data-calculator-output data-state="static" data-result="{json}">
          <p class="calc-status" role="status"> what the result below is for
          <div class="calc-result"> calculators.present.to_html(calculate(id, {})) </div>
        </div>
      </form>
      <details class="calc-python"> the function's source, escaped </details>
    </div>

The default result is computed now, by the same :func:`calculators.present.to_html` the
browser's worker calls, with the same ``refs_href``: with JavaScript off, from ``file://`` or
in print, the form and a correct result for its default values are on the page. JavaScript
(``docs/assets/js/calculators.js``) then runs the calculator live in Pyodide.

Anything the block cannot render honestly stops the build with a
:class:`~sitebuild.SiteBuildError`: a missing or unknown id, an option or content, the same
calculator twice on a page, a spec whose fields do not match its function's keyword-only
signature (:func:`calculators.registry.check_signature`), or a block header that pymdownx
refused (it would otherwise fall back to text).

Configuration (``mkdocs.yml`` sets none: by default each value comes from the build
description written by the pipeline's *prepare* step, made relative to the page the site
generator renders, see :func:`block_config`; given explicitly, it wins):

- ``page``: source path of the page, for error messages;
- ``refs_href``: the built References page URL relative to this page (``../references/``);
- ``pyodide_index``: the Pyodide runtime directory relative to this page;
- ``pyodide_lock``: the ``pyodide-lock.json`` holding the ``calculators`` wheel, relative
  to this page;
- ``pyodide_package``: the distribution name the worker loads (``baclofen-calculators``).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import xml.etree.ElementTree as ET
from html import escape
from typing import TYPE_CHECKING, Any

from calculators import present as _present
from calculators import web as _web
from calculators.registry import CALCULATORS, calculate, check_signature
from calculators.sources import SOURCES
from sitebuild import SiteBuildError
from sitebuild.context import current_page, load_build, page_src, relative_url
from sitebuild.context import where as _where
from sitebuild.strict_block import StrictBlock, StrictBlockExtension

if TYPE_CHECKING:
    from collections.abc import Mapping

    from markdown import Markdown

    from calculators.spec import Calculator, Field, Group

__all__ = [
    "CalculatorBlockExtension",
    "block_config",
    "makeExtension",
    "render_calculator",
]

_CONFIG_KEYS = ("refs_href", "pyodide_index", "pyodide_lock", "pyodide_package")

# Said wherever the page's script has not taken the form over: JavaScript off, a file://
# page (protocol.js adds its own note there), before the script binds. Nothing about what
# JavaScript would do: on file:// JavaScript is on and still nothing recalculates (QA D22).
STATIC_STATUS = "Result for the default values above, computed when this page was built."

# Shown only with JavaScript off (<noscript>), under the fields it explains.
NO_SCRIPT_NOTE = (
    "JavaScript is off, so these values cannot be changed here: the result below is for "
    "them. Turn JavaScript on to compute other values."
)


def _number(value: float | None) -> str:
    """An attribute value: ``5`` not ``5.0``; otherwise Python's shortest repr (``0.1``)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _choice_value(value: object) -> str:
    return _number(value) if isinstance(value, (int, float)) else str(value)


def _attrs(**attrs: str | bool | None) -> str:
    """`` name="value"`` pairs, escaped.

    ``True`` writes a bare (boolean) attribute, ``None`` or ``False`` none; ``class_`` is
    ``class`` and ``_`` is ``-`` (``data_state``).
    """
    out = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        out.append(f" {key}" if value is True else f' {key}="{escape(value)}"')
    return "".join(out)


def _cites(keys: tuple[str, ...], refs_href: str, *, focusable: bool = False) -> str:
    """The same citation markup as :func:`calculators.present.to_html` uses in results.

    Among the form's fields the links are out of the tab order (``tabindex="-1"``: a
    keyboard user would otherwise tab through every citation between two controls); the
    form repeats them, focusable, after its controls (:func:`_field_sources_html`).
    """
    if not keys:
        return ""
    ordered = sorted(set(keys), key=_present.source_number)
    tabindex = "" if focusable else ' tabindex="-1"'
    links = ", ".join(
        f'<a href="{escape(refs_href)}#ref-{escape(k)}" title="{escape(SOURCES[k].citation)}"'
        f"{tabindex}>{_present.source_number(k)}</a>"
        for k in ordered
    )
    return f' <sup class="cite">[{links}]</sup>'


def _field_sources_html(calc: Calculator, refs_href: str) -> str:
    """Every source cited among the form's fields, once, focusable: after the controls."""
    keys = [*calc.sources]
    for f in calc.fields:
        keys += f.sources
    for group in calc.groups:
        keys += group.sources
        for f in group.fields:
            keys += f.sources
    if not keys:
        return ""
    return (
        '<p class="calc-sources calc-field-sources">Sources of the fields above:'
        f"{_cites(tuple(keys), refs_href, focusable=True)}</p>"
    )


# A select whose longest option is longer than this takes the form's whole row: in a column
# (about 330 px at 1280) it showed "Calculated from the progra" (QA D21). Measured by
# tests/browser/test_a11y_mobile.py, which fails on any select narrower than its options.
_WIDE_CHOICE_CHARS = 28


def _field_html(calc: Calculator, f: Field, refs_href: str) -> str:
    base = f"calc-{calc.id}-{f.name}"
    help_id, error_id = f"{base}-help", f"{base}-error"
    described = f"{help_id} {error_id}" if (f.help or f.sources) else error_id
    common = {
        "id": base,
        "name": f.name,
        "required": f.required,
        "aria_describedby": described,
    }
    if f.kind == "number":
        # A text input, not type=number: its value is exactly what was typed ("7,5", "1e",
        # full-width digits), which Python parses (calculators.spec); a number input would
        # hand scripts a browser-sanitized value ("75", or "" for anything it cannot read).
        # The bounds are data- attributes, for automation only: nothing in the browser
        # validates or changes the value.
        control = (
            "<input"
            + _attrs(
                type="text",
                inputmode="decimal",
                autocomplete="off",
                spellcheck="false",
                **common,
                value=_number(f.default) if f.default is not None else "",
                data_min=_number(f.minimum) if f.minimum is not None else None,
                data_max=_number(f.maximum) if f.maximum is not None else None,
                data_step=_number(f.step) if f.step is not None else None,
            )
            + ">"
        )
    elif f.kind == "choice":
        if not f.choices:
            raise SiteBuildError(f"calculator {calc.id!r}: choice field {f.name!r} has no choices")
        options = [] if f.required else ['<option value="">(not set)</option>']
        for choice in f.choices:
            selected = f.default is not None and choice.value == f.default
            options.append(
                "<option"
                + _attrs(value=_choice_value(choice.value), selected=selected)
                + f">{escape(choice.label)}</option>"
            )
        control = "<select" + _attrs(**common) + ">" + "".join(options) + "</select>"
    elif f.kind == "date":
        control = (
            "<input"
            + _attrs(type="date", **common, value=str(f.default) if f.default is not None else "")
            + ">"
        )
    else:
        raise SiteBuildError(
            f"calculator {calc.id!r}: field {f.name!r} has kind {f.kind!r}; the form knows "
            "number, choice and date"
        )
    unit = f'<span class="calc-unit">{escape(f.unit)}</span>' if f.unit else ""
    optional = "" if f.required else ' <span class="calc-optional">(optional)</span>'
    help_html = ""
    if f.help or f.sources:
        help_html = (
            f'<p class="calc-help" id="{escape(help_id)}">{escape(f.help)}'
            f"{_cites(f.sources, refs_href)}</p>"
        )
    wide = f.kind == "choice" and max(len(c.label) for c in f.choices) > _WIDE_CHOICE_CHARS
    return (
        f'<div class="calc-field calc-field--{escape(f.kind)}'
        f'{" calc-field--wide" if wide else ""}" data-field="{escape(f.name)}">'
        f'<label for="{escape(base)}">{escape(f.label)}{optional}</label>'
        f'<span class="calc-control">{control}{unit}</span>'
        f"{help_html}"
        f'<p class="calc-error" id="{escape(error_id)}" data-error-for="{escape(f.name)}"></p>'
        "</div>"
    )


_INDEX, _NUMBER = "__INDEX__", "__NUMBER__"  # replaced by docs/assets/js/calculator-groups.js


def _group_item_html(
    calc: Calculator,
    group: Group,
    *,
    index: str,
    number: str,
    values: Mapping[str, object],
    refs_href: str,
) -> str:
    """One item of a repeated group: its fields named ``<group>.<index>.<field>``."""
    fields = "".join(
        _field_html(
            calc,
            dataclasses.replace(
                f, name=f"{group.name}.{index}.{f.name}", default=values.get(f.name, f.default)
            ),
            refs_href,
        )
        for f in group.fields
    )
    where = f"{group.item_label} {number}"
    return (
        f'<fieldset class="calc-group-item" data-group-item="{escape(index)}">'
        f"<legend>{escape(where)}</legend>{fields}"
        f'<p class="calc-error" data-error-for="{escape(group.name)}.{escape(index)}" '
        f'data-label="{escape(where)}"></p>'
        '<button type="button" class="md-button calc-group-remove" data-group-action="remove" '
        # The item's name is lower-cased, never its number: the template's __NUMBER__ must
        # reach calculator-groups.js as written, or a reader hears "Remove step __number__".
        f"hidden>Remove {escape(group.item_label.lower())} {escape(number)}</button>"
        "</fieldset>"
    )


def _chain_attrs(group: Group) -> str:
    """``data-chain-*`` for a group of spans in time: a new item starts where the last ends.

    A group whose items have ``start_<unit>`` and ``duration_<unit>`` fields (the flex
    schedule's steps) is a sequence: calculator-groups.js starts a new item at the last
    item's start plus its duration, wrapped at the start's maximum when it has one (24 hours:
    the day is a circle), instead of the field's default, which overlaps the first item
    (QA D13).
    """
    names = {f.name: f for f in group.fields}
    for f in group.fields:
        unit = f.name.removeprefix("start_")
        if f.name.startswith("start_") and f"duration_{unit}" in names:
            return _attrs(
                data_chain_start=f.name,
                data_chain_duration=f"duration_{unit}",
                data_chain_period=_number(f.maximum) if f.maximum is not None else None,
            )
    return ""


def _group_html(calc: Calculator, group: Group, refs_href: str) -> str:
    """A repeated group (:class:`calculators.spec.Group`): its items, a template, add/remove.

    The items are the group's defaults; ``<template>`` holds one new item with ``__INDEX__``
    and ``__NUMBER__`` for the script to fill in. The add and remove buttons are ``hidden``
    until the script runs: without it the form shows, and the result is for, the defaults.
    """
    items = "".join(
        _group_item_html(
            calc, group, index=str(i), number=str(i + 1), values=item, refs_href=refs_href
        )
        for i, item in enumerate(group.default)
    )
    template = _group_item_html(
        calc, group, index=_INDEX, number=_NUMBER, values={}, refs_href=refs_href
    )
    help_html = (
        f'<p class="calc-help">{escape(group.help)} Between {group.min_items} and '
        f"{group.max_items} {escape(group.plural)}.{_cites(group.sources, refs_href)}</p>"
    )
    return (
        f'<fieldset class="calc-group" data-group="{escape(group.name)}" '
        f'data-min-items="{group.min_items}" data-max-items="{group.max_items}"'
        f"{_chain_attrs(group)}>"
        f"<legend>{escape(group.label)}</legend>{help_html}"
        f'<div class="calc-group-items" data-group-items>{items}</div>'
        f"<template data-group-template>{template}</template>"
        '<button type="button" class="md-button calc-group-add" data-group-action="add" hidden>'
        f"Add a {escape(group.item_label.lower())}</button>"
        f'<p class="calc-error" data-error-for="{escape(group.name)}" '
        f'data-label="{escape(group.label)}"></p>'
        "</fieldset>"
    )


def block_config(md: Markdown, config: Mapping[str, Any]) -> dict[str, Any]:
    """The block's configuration with this page's URLs filled in from the build description.

    URLs given in the extension config are kept (tests, Markdown rendered by hand); the rest
    come from :func:`sitebuild.context.load_build`, made relative to the page the site
    generator renders, so the site works under any path and at any page depth.
    """
    filled = dict(config)
    filled["page"] = page_src(md, config.get("page", ""))
    if all(filled.get(key) for key in _CONFIG_KEYS):
        return filled
    build = load_build()
    page = current_page(md, config.get("page", ""))
    runtime = build.pyodide
    defaults = {
        "refs_href": relative_url(build.url_of(build.references_page), page),
        "pyodide_index": relative_url(runtime["index"], page),
        "pyodide_lock": relative_url(runtime["lock"], page),
        "pyodide_package": runtime["package"],
    }
    for key, value in defaults.items():
        filled[key] = filled.get(key) or value
    return filled


def render_calculator(calculator_id: str, config: Mapping[str, Any]) -> str:
    """The whole block's HTML for ``calculator_id`` (see the module docstring)."""
    page: str = config.get("page", "")
    if calculator_id not in CALCULATORS:
        close = difflib.get_close_matches(calculator_id, list(CALCULATORS), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise SiteBuildError(
            f"{_where(page)}: unknown calculator {calculator_id!r}.{hint} Known calculators: "
            f"{', '.join(CALCULATORS)} (calculators/registry.py)."
        )
    unset = [key for key in _CONFIG_KEYS if not config.get(key)]
    if unset:
        raise SiteBuildError(
            f"{_where(page)}: the calculator block needs {', '.join(unset)}: from the build "
            "description (`make site`) or as extension configs."
        )
    calc = CALCULATORS[calculator_id]
    try:
        check_signature(calc)
    except TypeError as exc:  # the engine's check, reported as a build error
        raise SiteBuildError(str(exc)) from None
    refs_href: str = config["refs_href"]
    result = calculate(calc.id, {})
    html = _present.to_html(result, refs_href=refs_href)
    fields = "".join(_field_html(calc, f, refs_href) for f in calc.fields)
    fields += "".join(_group_html(calc, g, refs_href) for g in calc.groups)
    title_id = f"calc-{calc.id}-title"
    form_attrs = _attrs(
        class_="calc-form",
        data_calculator=calc.id,
        data_refs_href=refs_href,
        aria_labelledby=title_id,
        novalidate=True,
    )
    output_attrs = _attrs(
        class_="calc-output",
        data_calculator_output=True,
        data_state="static",
        data_result=json.dumps(result, sort_keys=True, ensure_ascii=False),
    )
    function = f"{calc.function.__module__}.{calc.function.__qualname__}"
    return (
        '<div class="calculator">'
        f"<form{form_attrs}>"
        # Disabled until calculators.js binds the form (QA D22): without the script, a field
        # that took a new value would sit above a result that is not for it.
        f'<fieldset class="calc-fields" disabled data-until-live><legend id="{escape(title_id)}">'
        f"{escape(calc.title)}</legend>"
        f'<p class="calc-intro">{escape(calc.summary)}{_cites(calc.sources, refs_href)}</p>'
        f"{fields}"
        f'<p class="calc-error calc-error--form" data-error-for=""></p>'
        "</fieldset>"
        f'<noscript><p class="calc-note calc-noscript">{escape(NO_SCRIPT_NOTE)}</p></noscript>'
        '<div class="calc-actions" data-calculator-actions hidden>'
        '<button type="button" class="md-button" data-action="copy">Copy result</button>'
        '<button type="button" class="md-button" data-action="csv">Download CSV</button>'
        '<button type="button" class="md-button" data-action="link">Copy link to this case'
        "</button>"
        '<button type="button" class="md-button" data-action="print">Print</button>'
        "</div>"
        f"<div{output_attrs}>"
        f'<p class="calc-status" role="status" data-calculator-status>{escape(STATIC_STATUS)}</p>'
        '<div class="calc-result" data-calculator-result '
        f'data-html-sha256="{_web.html_digest(html)}">{html}</div>'
        "</div>"
        f"{_field_sources_html(calc, refs_href)}"
        "</form>"
        '<details class="calc-python">'
        "<summary>Show the Python</summary>"
        f"<p>The function <code>{escape(function)}</code>, which computes this result: at build "
        "time on this page, and in your browser (Pyodide) as you type.</p>"
        f'<pre><code class="language-python">{escape(_web.source(calc.id))}</code></pre>'
        "</details>"
        "</div>"
    )


class CalculatorBlock(StrictBlock):
    """``/// calculator | <id>`` + ``///`` -> the form and default result (module docstring)."""

    NAME = "calculator"

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Refuse a missing id and a second block for the same id; render the block now."""
        calculator_id = (self.argument or "").strip()
        if not calculator_id:
            raise SiteBuildError(
                f"{self.where()}: a calculator block needs an id: '/// calculator | <id>' "
                f"then '///'. Known calculators: {', '.join(CALCULATORS)}."
            )
        seen: set[str] = self.tracker.setdefault("ids", set())
        if calculator_id in seen:
            raise SiteBuildError(
                f"{self.where()}: calculator {calculator_id!r} appears twice; a page can hold "
                "each calculator once (its field ids and its link parameters would clash)."
            )
        seen.add(calculator_id)
        self.calculator_id = calculator_id
        # Render now, so an unknown id or a bad spec fails here, at the block's header.
        self.html = render_calculator(calculator_id, block_config(self.md, self.config))
        return True

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The element the rendered form is stashed in.

        It carries the ``calculator-<id>`` anchor that case links land on: in the tree, not
        in the stashed HTML, so the generator sees the id (MkDocs checks links to it).
        """
        return ET.SubElement(
            parent, "div", {"class": "calculator-block", "id": f"calculator-{self.calculator_id}"}
        )

    def content_refused(self) -> str:
        """Where the form comes from instead."""
        return (
            f"the calculator block {self.calculator_id!r} takes no content; its form comes from "
            "the spec in calculators/. Write '/// calculator | <id>' then '///'."
        )

    def render(self, block: ET.Element) -> None:
        """Put the rendered form in the stash."""
        block.text = self.md.htmlStash.store(self.html)


class CalculatorBlockExtension(StrictBlockExtension):
    """The ``/// calculator | <id>`` block (see the module docstring)."""

    BLOCKS = (CalculatorBlock,)
    LABEL = "calculator"
    SYNTAX = (
        "A block takes no options and no content: write '/// calculator | <id>' then '///' on "
        "lines of their own."
    )

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them (see the module docstring)."""
        self.config = {
            "page": ["", "Source path of the page (default: the site generator's)"],
            "refs_href": ["", "References page URL relative to the page (default: from the build)"],
            "pyodide_index": ["", "Pyodide runtime directory relative to the page"],
            "pyodide_lock": ["", "pyodide-lock.json with the calculators wheel, relative URL"],
            "pyodide_package": ["", "Distribution name of the calculators wheel"],
        }
        super().__init__(**kwargs)


def makeExtension(**kwargs: Any) -> CalculatorBlockExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.calculator_block``."""
    return CalculatorBlockExtension(**kwargs)
