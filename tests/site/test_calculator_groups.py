"""Repeated groups in the calculator block: items from the spec, a template, hidden buttons."""

from __future__ import annotations

import re

from calculators import CALCULATORS
from sitebuild.calculator_block import render_calculator

CONFIG = {
    "page": "pump-clinic.md",
    "refs_href": "../references/",
    "pyodide_index": "../assets/pyodide/0.0.0/",
    "pyodide_lock": "../assets/calculators/abc/pyodide-lock.json",
    "pyodide_package": "baclofen-calculators",
}
FLEX = CALCULATORS["itb-flex-schedule"]


def group_html(name: str) -> str:
    """The rendered fieldset of one group of the flex schedule."""
    html = render_calculator(FLEX.id, CONFIG)
    match = re.search(
        rf'<fieldset class="calc-group" data-group="{name}".*?</template>.*?</fieldset>', html
    )
    assert match is not None
    return match.group(0)


def test_calculator_groups_items_are_the_spec_defaults():
    """The steps group shows its default items, fields named steps.<i>.<field>, from the spec."""
    html = group_html("steps")
    steps = FLEX.groups[0]
    assert 'data-min-items="1"' in html
    assert f'data-max-items="{steps.max_items}"' in html
    items = re.findall(r'data-group-item="(\d+)"', html.split("<template")[0])
    assert items == [str(i) for i in range(len(steps.default))]
    for index, item in enumerate(steps.default):
        for f in steps.fields:
            value = item[f.name]
            shown = str(int(value)) if float(value).is_integer() else str(value)
            assert re.search(
                rf'name="steps\.{index}\.{f.name}"[^>]*value="{re.escape(shown)}"', html
            ), (index, f.name)
    assert html.count('data-error-for="steps.0.') == len(steps.fields)
    assert 'data-error-for="steps" data-label="Steps"' in html


def test_calculator_groups_template_holds_one_new_item():
    """The template has one item with __INDEX__ / __NUMBER__ and the fields' own defaults."""
    template = group_html("steps").split("<template data-group-template>")[1]
    assert template.count('data-group-item="__INDEX__"') == 1
    assert "<legend>Step __NUMBER__</legend>" in template
    rate = FLEX.groups[0].field("rate_mcg_per_hour").default
    assert 'name="steps.__INDEX__.rate_mcg_per_hour"' in template
    assert f'value="{rate}"' in template


def test_calculator_groups_buttons_wait_for_the_script():
    """Add and remove are hidden in the built page: without JavaScript they could do nothing."""
    html = group_html("steps")
    buttons = re.findall(r"<button[^>]*data-group-action[^>]*>", html)
    assert buttons
    assert all(" hidden" in b for b in buttons)


def test_calculator_groups_empty_group_has_no_items():
    """Boluses start with none: only the template and the add button."""
    html = group_html("boluses")
    assert 'data-group-item="' not in html.split("<template")[0]
    assert "Add a bolus" in html
