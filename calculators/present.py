"""Show a result: HTML for the site (build time and browser alike) and text for the terminal.

The same function renders the static result baked into the page at build time and the live
result in the browser's worker, so the two cannot drift apart. Standard library only.
"""

from __future__ import annotations

from html import escape
from typing import Any

from .hazards import DISTRUSTING_CODES
from .patient_sheet import patient_sheet_html
from .registry import get
from .sheet import schedule_sheet_html
from .sources import SOURCES
from .spec import Output, Table, format_number

__all__ = ["chart_svg", "pump_card", "pump_card_html", "source_number", "to_html", "to_text"]

# A result table's own sideways-scrolling box (the site's build leaves it unwrapped:
# sitebuild/theme_start.py).
TABLE_SCROLL_CLASS = "calc-table-scroll"

_SEVERITY_LABEL = {"danger": "Danger", "caution": "Caution", "info": "Note"}


def source_number(key: str) -> int:
    """The source's 1-based number in the bibliography (the same on every page)."""
    return list(SOURCES).index(key) + 1


def _value_text(value: object, unit: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # pragma: no cover - results never hold booleans
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        # The engine rounds every number it returns; show it whole (0.0005 must not read 0.001).
        text = format_number(value, 6)
        if value and text in {"0", "-0"}:
            # Display guard: a quantity that is not 0 is never shown as 0.
            text = ("-" if value < 0 else "") + "less than 0.000001"
    elif isinstance(value, list):
        text = ", ".join(_value_text(v) for v in value)
    else:
        text = str(value)
    return f"{text} {unit}".strip() if unit else text


def _cites(keys: list[str], refs_href: str) -> str:
    if not keys:
        return ""
    links = ", ".join(
        f'<a href="{escape(refs_href)}#ref-{escape(k)}" title="{escape(SOURCES[k].citation)}">'
        f"{source_number(k)}</a>"
        for k in keys
    )
    return f' <sup class="cite">[{links}]</sup>'


def to_html(result: dict[str, Any], *, refs_href: str = "../references/") -> str:
    """The result as an HTML fragment: warnings, summary, tables with charts, notes, sources.

    ``refs_href`` is the URL of the References page relative to the page showing the result.
    """
    calc = get(result["calculator"])
    parts = [_warnings_html(result["warnings"], refs_href), _summary_html(calc.outputs, result)]
    parts += [_table_html(t, result.get(t.key) or []) for t in calc.tables]
    parts.append(pump_card_html(result, refs_href))
    parts.append(
        patient_sheet_html(
            result,
            pump_card(result),
            card_blocked_by(result),
            lambda keys: _cites(keys, refs_href),
        )
    )
    parts.append(schedule_sheet_html(result, lambda keys: _cites(keys, refs_href)))
    if result.get("notes"):
        items = "".join(f"<li>{escape(n)}</li>" for n in result["notes"])
        parts.append(f'<ul class="calc-notes">{items}</ul>')
    parts.append(f'<p class="calc-sources">Sources:{_cites(result["sources"], refs_href)}</p>')
    return "".join(parts)


def _warnings_html(warnings: list[dict[str, Any]], refs_href: str) -> str:
    if not warnings:
        return ""
    items = "".join(
        f'<li class="calc-warning calc-warning--{escape(w["severity"])}" '
        f'data-code="{escape(w["code"])}">'
        f"<strong>{_SEVERITY_LABEL[w['severity']]}:</strong> "
        f"{escape(w['message'])}{_cites(w['sources'], refs_href)}</li>"
        for w in warnings
    )
    return f'<ul class="calc-warnings">{items}</ul>'


def _summary_html(outputs: tuple[Output, ...], result: dict[str, Any]) -> str:
    shown = [(o, result.get(o.key)) for o in outputs if result.get(o.key) not in (None, [], "")]
    if not shown:
        return ""
    items = "".join(
        f'<div data-output="{escape(o.key)}"><dt>{escape(o.label)}</dt>'
        f"<dd>{escape(_value_text(value, o.unit))}</dd></div>"
        for o, value in shown
    )
    return f'<dl class="calc-summary">{items}</dl>'


def _table_html(table: Table, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    columns = [c for c in table.columns if any(r.get(c.key) is not None for r in rows)]
    head = "".join(
        f'<th scope="col">{escape(c.label)}{f" ({escape(c.unit)})" if c.unit else ""}</th>'
        for c in columns
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_value_text(r.get(c.key)))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    chart = chart_svg(table, rows) if table.chart_y else ""
    return (
        f'<figure class="calc-table" data-table="{escape(table.key)}">'
        f"<figcaption>{escape(table.title)}</figcaption>{chart}"
        # A sideways-scrolling box is a named region in the tab order, so that a keyboard can
        # scroll it (axe's scrollable-region-focusable; QA D10).
        f'<div class="{TABLE_SCROLL_CLASS}" tabindex="0" role="region" '
        f'aria-label="{escape(table.title)} (scrolls sideways)">'
        f"<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div></figure>"
    )


def chart_svg(table: Table, rows: list[dict[str, Any]], width: int = 560, height: int = 200) -> str:
    """A step chart of ``table.chart_y`` by day, as inline SVG (no script, prints well).

    Rows with ``start_day``/``end_day`` are held over their days (an open-ended last row is
    drawn for one more step); rows with ``day`` are points joined by steps.

    The text must stay legible on a phone, where a ``viewBox`` would scale it down with the
    drawing (11 px became ~5 px at 320 px wide). So the outer ``<svg>`` has no ``viewBox``:
    its text is in CSS pixels and placed by percentages of the width, and only the lines sit
    in an inner ``<svg>`` that stretches (``preserveAspectRatio="none"``) with strokes that
    do not (``vector-effect``). ``height`` is in CSS pixels; ``width`` is the inner drawing's
    coordinate width. The axis label, which no phone fits on one SVG line, follows as HTML
    (``aria-hidden``: the chart's accessible name already says it).
    """
    if table.chart_y is None:
        raise ValueError(f"table {table.key!r} has no chart_y")
    segments: list[tuple[float, float, float]] = []  # (x0, x1, y)
    x_key = table.chart_x
    if "start_day" in rows[0]:
        last_length = 1
        for row in rows:
            start = row["start_day"]
            end = row["end_day"]
            if end is None:
                end = start + last_length - 1
            else:
                last_length = end - start + 1
            segments.append((start - 1, end, float(row[table.chart_y])))
    else:
        for index, row in enumerate(rows):
            nxt = rows[index + 1][x_key] if index + 1 < len(rows) else row[x_key] + 1
            segments.append((row[x_key], nxt, float(row[table.chart_y])))
    extra = [
        (
            label,
            [
                (x0, x1, float(row[key] or 0))
                for (x0, x1, _), row in zip(segments, rows, strict=True)
            ],
        )
        for key, label in table.chart_series
    ]
    x_min = min(s[0] for s in segments)
    x_max = max(s[1] for s in segments)
    y_max = max(s[2] for series in [segments] + [e[1] for e in extra] for s in series) or 1.0
    # Outer geometry: y in CSS px; x in % of the width (the y ticks get a gutter of it).
    left_pct, right_pct, top, bottom = 14, 97, 14, 28
    plot_h = height - top - bottom
    base_y = top + plot_h

    def sx(x: float) -> float:
        return (x - x_min) / ((x_max - x_min) or 1) * width

    def sy(y: float) -> float:
        return plot_h - y / y_max * plot_h

    def polyline(series: list[tuple[float, float, float]], css: str) -> str:
        points = [f"{sx(x):.1f},{sy(y):.1f}" for x0, x1, y in series for x in (x0, x1)]
        return (
            f'<polyline class="{css}" fill="none" vector-effect="non-scaling-stroke" '
            f'points="{" ".join(points)}"/>'
        )

    label = escape(table.chart_label or table.chart_y)
    if extra:
        main = next((c.label for c in table.columns if c.key == table.chart_y), table.chart_y)
        label += escape(f" (solid: {main.lower()}; dashed: ")
        label += escape(", ".join(name for name, _ in extra) + ")")
    x_name = "day" if "start_day" in rows[0] else x_key
    first_day = int(x_min) + (1 if "start_day" in rows[0] else 0)
    ticks = [
        (f"{left_pct}%", top, "-5", "0.35em", "end", format_number(y_max)),
        (f"{left_pct}%", base_y, "-5", "0.35em", "end", "0"),
        (f"{left_pct}%", base_y, "0", "1.25em", "start", f"{x_name} {first_day}"),
        (f"{right_pct}%", base_y, "0", "1.25em", "end", f"{x_name} {int(x_max)}"),
    ]
    tick_html = "".join(
        f'<text class="tick" x="{x}" y="{y}" dx="{dx}" dy="{dy}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
        for x, y, dx, dy, anchor, text in ticks
    )
    plot_w_pct = right_pct - left_pct
    return (
        f'<svg class="calc-chart" width="100%" height="{height}" role="img" '
        f'aria-label="{label} by {x_name}"><title>{label} by {x_name}</title>'
        f'<line class="axis" x1="{left_pct}%" y1="{base_y}" x2="{right_pct}%" y2="{base_y}"/>'
        f'<line class="axis" x1="{left_pct}%" y1="{top}" x2="{left_pct}%" y2="{base_y}"/>'
        f"{tick_html}"
        f'<svg class="plot" x="{left_pct}%" y="{top}" width="{plot_w_pct}%" height="{plot_h}" '
        f'viewBox="0 0 {width} {plot_h}" preserveAspectRatio="none" overflow="visible">'
        f"{polyline(segments, 'series')}"
        + "".join(polyline(series, "series series--extra") for _, series in extra)
        + "</svg></svg>"
        f'<p class="calc-chart-label" aria-hidden="true">{label} by {x_name}</p>'
    )


def to_text(result: dict[str, Any]) -> str:
    """The result as plain text for the terminal: summary, tables, warnings, sources."""
    calc = get(result["calculator"])
    lines = [calc.title, "=" * len(calc.title)]
    for output in calc.outputs:
        value = result.get(output.key)
        if value not in (None, [], ""):
            lines.append(f"{output.label}: {_value_text(value, output.unit)}")
    for table in calc.tables:
        rows = result.get(table.key) or []
        if not rows:
            continue
        columns = [c for c in table.columns if any(r.get(c.key) is not None for r in rows)]
        headers = [c.label + (f" ({c.unit})" if c.unit else "") for c in columns]
        cells = [[_value_text(r.get(c.key)) for c in columns] for r in rows]
        widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
        lines += ["", table.title]
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
    if result["warnings"]:
        lines.append("")
        for w in result["warnings"]:
            refs = f" [{', '.join(w['sources'])}]" if w["sources"] else ""
            lines.append(f"{_SEVERITY_LABEL[w['severity']]}: {w['message']}{refs}")
    lines += _card_text(result)
    for note in result.get("notes", []):
        lines.append(f"- {note}")
    lines += ["", "Sources:"]
    for key in result["sources"]:
        src = SOURCES[key]
        link = f" {src.url}" if src.url else ""
        lines.append(f"  [{source_number(key)}] {src.citation}{link}")
    lines += ["", "Teaching material, not a prescribing tool."]
    return "\n".join(lines)


# --- the pump card ---------------------------------------------------------------------------

_CARD_TITLE = "Intrathecal baclofen pump card"
_CARD_QUOTE = (
    '"Low-reservoir alarm dates and refill schedules should be written down, along with '
    'emergency contact information."'
)
_CARD_CONTACT_LINES = ("Clinic", "Telephone (day)", "Telephone (out of hours)", "Clinician")
_CONTINUOUS = "Simple continuous (as calculated here)"


_CARD_WITHDRAWAL = (
    "Early signs of withdrawal: the old stiffness and spasms coming back, itching, low blood "
    "pressure, pins and needles. If they appear, or the pump alarm sounds, call the clinic at "
    "once; out of hours go to an emergency department with this card. Do not wait for the "
    "next visit, and never stop intrathecal baclofen abruptly."
)


def _card_text(result: dict[str, Any]) -> list[str]:
    """The pump card's lines for the plain text, or one line saying why it is not printed."""
    card = pump_card(result)
    if card is None:
        return []
    blocked = card_blocked_by(result)
    if blocked:
        # A copied result must not carry the card the page refuses to print (re-check W3).
        return ["", f"{_CARD_TITLE}: not printed ({', '.join(dict.fromkeys(blocked))})"]
    lines = ["", _CARD_TITLE]
    lines += [
        f"{label}: {value}{'_' * 20 if not value or value.endswith(': ') else ''}"
        for label, value in card
    ]
    lines += [f"{label}: {'_' * 30}" for label in _CARD_CONTACT_LINES]
    lines.append(_CARD_QUOTE + " (boster2016)")
    return lines


def pump_card(result: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The lines of the printable pump card for a refill result, or ``None`` for other results.

    From ``itb-refill`` (its inputs and dates) and ``itb-refill-visit`` (its ``card``). A value
    the result does not hold is left blank, to be written in by hand.

    References: boster2016 (write down the alarm dates, the refill schedule and the emergency
    contact).
    """
    calc_id = result.get("calculator")
    if calc_id == "itb-refill-visit":
        card = result["card"]
        dose, concentration, mode = (
            card["daily_dose_mcg"],
            card["concentration_mcg_per_ml"],
            card["mode"],
        )
        refill_date, alarm_date = card["refill_date"], card["alarm_date"]
        refill_by = card["refill_by_date"]
    elif calc_id == "itb-refill":
        inputs = result["inputs"]
        dose, concentration, mode = (
            inputs["daily_dose_mcg"],
            inputs["concentration_mcg_per_ml"],
            _CONTINUOUS,
        )
        refill_date, alarm_date = inputs.get("refill_date"), result.get("alarm_date")
        refill_by = result.get("refill_by_date")
    else:
        return None
    return [
        ("Daily dose", _value_text(dose, "mcg/day")),
        ("Concentration", _value_text(concentration, "mcg/mL")),
        ("Mode", mode),
        ("Reservoir", _value_text(result["inputs"].get("reservoir_ml"), "mL")),
        ("Low-reservoir alarm set at", _value_text(result["inputs"].get("alarm_ml"), "mL")),
        ("Refill date", refill_date or ""),
        # The refill-by date (4 mL left, or the alarm if set higher) is the target, not the
        # alarm date: withdrawal has been seen before a 2 mL alarm sounds (neurosurgery2004).
        ("Refill by", refill_by or ""),
        ("Low-reservoir alarm date", alarm_date or ""),
        ("Next visit", f"by {refill_by}: " if refill_by else ""),
    ]


# Cautions that say the typed dose itself is in doubt: no card is printed under them.
_CARD_DOUBT_CODES = frozenset(
    {
        "itb-daily-above-observed",
        "itb-daily-below-observed",
        "dose-change-outside-label-range",
        "refill-interval-long",
        "refill-interval-short",
        # Less drug left the reservoir than programmed: the alarm date is not to be trusted.
        "residual-above-expected",
    }
)


def card_blocked_by(result: dict[str, Any]) -> list[str]:
    """The warning codes that stop a pump card: every danger, and any doubt about the dose.

    A card is what a patient carries to an emergency department; a dose printed on it under a
    danger or a "check the figure" caution would be taken as the clinic's record.
    """
    return [
        w["code"]
        for w in result["warnings"]
        if w["severity"] == "danger" or w["code"] in DISTRUSTING_CODES | _CARD_DOUBT_CODES
    ]


def pump_card_html(result: dict[str, Any], refs_href: str) -> str:
    """The pump card as a section of the result, ready to print on its own (print.css)."""
    card = pump_card(result)
    if card is None:
        return ""
    blocked = card_blocked_by(result)
    if blocked:
        return (
            f'<section class="pump-card pump-card--blocked" '
            f'data-pump-card="{escape(str(result["calculator"]))}" '
            f'data-blocked-by="{escape(" ".join(dict.fromkeys(blocked)))}">'
            f'<h3 class="pump-card__title">{_CARD_TITLE}: not printed</h3>'
            "<p>No pump card while this result carries a danger, or a caution about the dose "
            "itself (" + escape(", ".join(dict.fromkeys(blocked))) + "). Resolve it first: a "
            "card is what a patient shows in an emergency department.</p></section>"
        )
    rows = "".join(
        f'<div><dt>{escape(label)}</dt><dd><span class="pump-card__value">{escape(value)}'
        f'</span><span class="pump-card__blank" aria-hidden="true"></span></dd></div>'
        for label, value in card
    )
    contact = "".join(
        f'<div><dt>{escape(label)}</dt><dd><span class="pump-card__blank"></span></dd></div>'
        for label in _CARD_CONTACT_LINES
    )
    return (
        f'<section class="pump-card" data-pump-card="{escape(str(result["calculator"]))}">'
        f'<h3 class="pump-card__title">{_CARD_TITLE}</h3>'
        f'<dl class="pump-card__facts">{rows}</dl>'
        f'<p class="pump-card__withdrawal">{escape(_CARD_WITHDRAWAL)}'
        f"{_cites(['label-gablofen'], refs_href)}</p>"
        '<p class="pump-card__heading">Emergency contact (write in)</p>'
        f'<dl class="pump-card__contact">{contact}</dl>'
        f'<blockquote class="pump-card__quote">{escape(_CARD_QUOTE)} Boster 2016, '
        f"doi:{escape(SOURCES['boster2016'].doi or 'not recorded')}"
        f"{_cites(['boster2016'], refs_href)}</blockquote>"
        '<p class="pump-card__note">Teaching material, not a prescribing tool: copy each '
        "figure from the pump programmer's own printout.</p>"
        '<button type="button" class="md-button pump-card__print" data-action="print-card" '
        "hidden>Print the pump card</button>"
        "</section>"
    )
