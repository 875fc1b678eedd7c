"""Odd and hostile input, typed and in links: Python's message by the field, nothing executes.

Every expectation comes from ``calculators.calculate`` on CPython (``expected``): the
browser sends the raw text typed (number fields are text inputs), so its answer must be
CPython's for that same text. A decimal comma must never become a result for the number
without it (``7,5`` read as 75 is a 10x dose). Payloads are checked for doing nothing: no
dialog, no element created from them, no request for the image they name, no console error,
their text shown as text. The values typed are ``hostile_corpus.py``'s, which Firefox is held
to as well (``tests/engines/firefox.test.mjs``, in every number field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pytest
from browserkit import Calculators, expected, new_context
from hostile_corpus import COMMAS, FULL_WIDTH, ODD, PAYLOADS
from playwright.sync_api import expect

from calculators import CALCULATORS, calculate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

# Any element a payload would create inside a calculator if it were parsed as HTML.
INJECTED = ".calculator :is(script, img, [onerror], [onload])"


class Hostile(Calculators):
    """A page that records dialogs and the paths it requests."""

    dialogs: list[str]
    paths: list[str]


@pytest.fixture(scope="module")
def hostile(browser: Browser, base_url: str, calculator_pages: dict[str, str]) -> Iterator[Hostile]:
    """One context for the whole module: alert() replaced, dialogs and requests recorded."""
    context, watch = new_context(browser)
    page = context.new_page()
    cal = Hostile(page, base_url, calculator_pages)
    cal.dialogs = []
    cal.paths = []
    page.on("dialog", lambda dialog: (cal.dialogs.append(dialog.message), dialog.dismiss()))
    context.on("request", lambda request: cal.paths.append(urlsplit(request.url).path))
    page.add_init_script(
        "for (const name of ['alert', 'confirm', 'prompt']) {"
        "  const real = window[name];"
        "  window[name] = (...args) => {"
        "    (window.__ran ??= []).push(String(args[0]));"
        "    return real.apply(window, args);"
        "  };"
        "}"
    )
    yield cal
    assert watch.errors == [], "console errors, page errors or failed requests"
    context.close()


def assert_inert(cal: Hostile) -> None:
    """Nothing a payload carries ran, was parsed into an element, or was fetched."""
    assert cal.dialogs == []
    assert cal.page.evaluate("window.__ran ?? []") == []
    assert cal.page.locator(INJECTED).count() == 0
    assert [p for p in cal.paths if "hostile" in p] == []


def label_of(calc_id: str, name: str) -> str:
    """The field's label, from the spec."""
    return CALCULATORS[calc_id].field(name).label


def assert_field_error(cal: Hostile, calc_id: str, name: str, message: str) -> None:
    """``message`` by the field, tied to it for screen readers, and said by the status."""
    slot = cal.error(calc_id, name)
    expect(slot).to_have_text(message)
    control = cal.form(calc_id).locator(f'[name="{name}"]')
    expect(control).to_have_attribute("aria-invalid", "true")
    slot_id = slot.get_attribute("id")
    assert slot_id in (control.get_attribute("aria-describedby") or "").split()
    label = label_of(calc_id, name)
    said = message if message.startswith(label) else f"{label}: {message}"
    status = cal.output(calc_id).locator("[data-calculator-status]")
    expect(status).to_contain_text(said)
    expect(status).to_contain_text("Not updated")
    expect(cal.output(calc_id)).to_have_attribute("data-stale", "")


def assert_like_cpython(cal: Hostile, calc_id: str, name: str, value: str) -> None:
    """After ``value`` reached ``name`` (others at defaults), the page shows CPython's answer."""
    answer = expected(calc_id, {name: value})
    state = cal.settle(calc_id)
    if "errors" in answer:
        assert state == "error"
        assert_field_error(cal, calc_id, name, answer["errors"][name])
        assert cal.result(calc_id) == calculate(calc_id, {})  # the defaults' result, kept
    else:
        assert state == "ready"
        assert cal.result(calc_id) == answer


def test_comma_cases_would_be_plausible_doses() -> None:
    """Each comma value without its comma is a valid input: the case a silent drop hides."""
    for calc_id, name, value in COMMAS:
        assert "errors" not in expected(calc_id, {name: value.replace(",", "")}), (calc_id, name)


@pytest.mark.parametrize(("calc_id", "name", "value"), COMMAS)
def test_decimal_comma_typed_is_refused_by_name(
    hostile: Hostile, calc_id: str, name: str, value: str
) -> None:
    """A typed decimal comma gets Python's field-named refusal; never the result without it."""
    answer = expected(calc_id, {name: value})
    assert "errors" in answer, "CPython must refuse a decimal comma, not guess it"
    hostile.open(calc_id)
    hostile.set(calc_id, name, value)
    assert hostile.settle(calc_id) == "error"
    assert_field_error(hostile, calc_id, name, answer["errors"][name])
    expect(hostile.form(calc_id).locator(f'[name="{name}"]')).to_have_value(value)
    assert hostile.result(calc_id) != calculate(calc_id, {name: value.replace(",", "")})
    assert hostile.result(calc_id) == calculate(calc_id, {})


def test_decimal_comma_in_a_link_is_refused(hostile: Hostile) -> None:
    """The same refusal when the comma comes in a link, the field showing it as typed."""
    calc_id, name, value = COMMAS[0]
    hostile.goto(calc_id, f"?{calc_id}.{name}={quote(value)}")
    expect(hostile.form(calc_id).locator(f'[name="{name}"]')).to_have_value(value)
    assert_like_cpython(hostile, calc_id, name, value)


@pytest.mark.parametrize("value", FULL_WIDTH)
def test_full_width_digits_typed_and_linked_agree(hostile: Hostile, value: str) -> None:
    """Full-width digits give CPython's answer for them, the same typed as from a link."""
    calc_id, name = "oral-to-iv", "oral_daily_mg"
    hostile.open(calc_id)
    hostile.set(calc_id, name, value)
    assert_like_cpython(hostile, calc_id, name, value)
    typed = (hostile.output(calc_id).get_attribute("data-state"), hostile.result(calc_id))
    hostile.goto(calc_id, f"?{calc_id}.{name}={quote(value)}")
    expect(hostile.form(calc_id).locator(f'[name="{name}"]')).to_have_value(value)
    assert_like_cpython(hostile, calc_id, name, value)
    linked = (hostile.output(calc_id).get_attribute("data-state"), hostile.result(calc_id))
    assert linked == typed


@pytest.mark.parametrize("value", ODD, ids=lambda v: v if len(v) < 12 else f"{len(v)}-chars")
def test_odd_values_typed_get_pythons_answer(hostile: Hostile, value: str) -> None:
    """Emoji, NaN, infinities, huge and long numbers: CPython's answer, as typed."""
    calc_id, name = "itb-refill", "daily_dose_mcg"
    hostile.open(calc_id)
    hostile.set(calc_id, name, value)
    expect(hostile.form(calc_id).locator(f'[name="{name}"]')).to_have_value(value)
    assert_like_cpython(hostile, calc_id, name, value)


def test_a_long_value_is_not_echoed_whole(hostile: Hostile) -> None:
    """A 20,000-digit value: the message by the field and the status stay short."""
    calc_id, name = "oral-to-iv", "oral_daily_mg"
    value = "9" * 20_000
    hostile.goto(calc_id, f"?{calc_id}.{name}={value}")
    assert_like_cpython(hostile, calc_id, name, value)
    assert len(hostile.error(calc_id, name).inner_text()) < 400
    status = hostile.output(calc_id).locator("[data-calculator-status]")
    assert len(status.inner_text()) < 800


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img-onerror", "svg-onload"])
def test_payload_typed_is_shown_as_text(hostile: Hostile, payload: str) -> None:
    """Markup typed into a number field comes back as Python's message, as text; inert."""
    calc_id, name = "oral-taper", "current_daily_mg"
    hostile.open(calc_id)
    hostile.set(calc_id, name, payload)
    assert_like_cpython(hostile, calc_id, name, payload)
    assert "<" in hostile.error(calc_id, name).inner_text()  # shown, not parsed
    assert_inert(hostile)


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img-onerror", "svg-onload"])
def test_payload_in_a_link_is_inert(hostile: Hostile, payload: str) -> None:
    """Markup in a link, as a number, a choice, a date and a key: messages as text, inert."""
    calc_id = "itb-refill"
    spec = CALCULATORS[calc_id]
    kinds = ("number", "choice", "date")
    names = [next(f.name for f in spec.fields if f.kind == kind) for kind in kinds]
    keys = {f"{calc_id}.{name}": payload for name in names} | {f"{calc_id}.{payload}": "1"}
    query = "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in keys.items())
    hostile.goto(calc_id, query)
    form = hostile.form(calc_id)
    answer = expected(calc_id, dict.fromkeys(names, payload))["errors"]
    assert hostile.settle(calc_id) == "error"
    for name in names:
        assert_field_error(hostile, calc_id, name, answer[name])
    # The select offers only the spec's choices (plus "(not set)" for an optional one).
    field = spec.field(names[1])
    options = form.locator(f'[name="{names[1]}"] option')
    expect(options).to_have_count(len(field.choices) + (0 if field.required else 1))
    note = form.locator("[data-link-note]")
    expect(note).to_contain_text("not a field of this calculator")
    expect(note).to_contain_text(payload[:20])
    assert_inert(hostile)


def test_unknown_choice_in_a_link_adds_no_option(hostile: Hostile) -> None:
    """A link naming a choice the spec lacks: Python's message by the field, no new option."""
    calc_id, name = "oral-titration", "formulation"
    value = "Tablets — double the dose"
    hostile.goto(calc_id, f"?{calc_id}.{name}={quote(value)}")
    select = hostile.form(calc_id).locator(f'[name="{name}"]')
    field = CALCULATORS[calc_id].field(name)
    expect(select.locator("option")).to_have_count(
        len(field.choices) + (0 if field.required else 1)
    )
    assert select.locator("option", has_text="double").count() == 0
    assert_like_cpython(hostile, calc_id, name, value)
    # Choosing a real option clears it.
    choice = str(field.choices[0].value)
    hostile.set(calc_id, name, choice)
    assert hostile.settle(calc_id) == "ready"
    assert hostile.result(calc_id) == calculate(calc_id, {name: choice})


def test_repeated_key_same_value_is_used(hostile: Hostile) -> None:
    """A key given twice with the same value: that value, as if given once."""
    calc_id, name = "oral-to-iv", "oral_daily_mg"
    hostile.goto(calc_id, f"?{calc_id}.{name}=40&{calc_id}.{name}=40")
    assert hostile.settle(calc_id) == "ready"
    assert hostile.result(calc_id) == calculate(calc_id, {name: "40"})


def test_repeated_key_different_values_is_an_error(hostile: Hostile) -> None:
    """A key given twice with different values: neither is used; the field says so."""
    calc_id, name = "oral-to-iv", "oral_daily_mg"
    hostile.goto(calc_id, f"?{calc_id}.{name}=10&{calc_id}.{name}=100")
    assert hostile.settle(calc_id) == "error"
    slot = hostile.error(calc_id, name)
    expect(slot).to_contain_text(label_of(calc_id, name))
    expect(slot).to_contain_text('2 different values ("10", "100")')
    expect(hostile.output(calc_id).locator("[data-calculator-status]")).to_contain_text(
        "Not updated"
    )
    for value in ("10", "100"):
        assert hostile.result(calc_id) != calculate(calc_id, {name: value})
    hostile.set(calc_id, name, "10")  # typing the value meant clears it
    assert hostile.settle(calc_id) == "ready"
    assert hostile.result(calc_id) == calculate(calc_id, {name: "10"})
    expect(slot).to_have_text("")


def test_unknown_key_is_reported_and_ignored(hostile: Hostile) -> None:
    """A key naming no field (a unit typo) is said next to the form; the rest is used."""
    calc_id = "oral-to-iv"
    hostile.goto(calc_id, f"?{calc_id}.oral_daily_mcg=100&{calc_id}.doses_per_day=4&q=abc")
    assert hostile.settle(calc_id) == "ready"
    assert hostile.result(calc_id) == calculate(calc_id, {"doses_per_day": "4"})
    note = hostile.form(calc_id).locator("[data-link-note]")
    expect(note).to_have_text(
        f'This link also sets "{calc_id}.oral_daily_mcg", which is not a field of this '
        "calculator: ignored."
    )
    assert_inert(hostile)


def test_calculator_id_in_another_case_is_reported(hostile: Hostile) -> None:
    """A link naming "Oral-Titration" is said above that form, not silently ignored (QA D15)."""
    calc_id, name = "oral-titration", "target_daily_mg"
    key = f"Oral-Titration.{name}"
    hostile.goto(calc_id, f"?{key}=80&itb-refill.volume_ml=20")
    assert hostile.settle(calc_id) == "ready"
    assert hostile.result(calc_id) == calculate(calc_id, {})  # the link's value was not used
    notes = hostile.form(calc_id).locator("[data-link-stray]")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_have_text(
        f'This link sets "{key}": calculator ids are lower case, so it names no calculator on '
        f'this page (this one is "{calc_id}"): ignored. The values below are not the link\'s.'
    )
    expect(notes.nth(1)).to_have_text(
        'This link sets "itb-refill.volume_ml", which names no calculator on this page: ignored.'
    )
    assert_inert(hostile)


# Before any page script: count the Intl.NumberFormat objects our scripts (assets/js/)
# construct on the page's main thread.
_COUNT_NUMBER_FORMATS = """(() => {
  const Native = Intl.NumberFormat;
  window.__ourNumberFormats = 0;
  Intl.NumberFormat = new Proxy(Native, {
    construct(target, args, newTarget) {
      if ((new Error().stack || "").includes("/assets/js/")) window.__ourNumberFormats += 1;
      return Reflect.construct(target, args, newTarget);
    },
  });
})();"""


@pytest.mark.parametrize(("locale", "inputmode"), [("en-US", "decimal"), ("de-DE", "text")])
def test_the_worker_looks_up_the_decimal_separator(
    browser: Browser, base_url: str, calculator_pages: dict[str, str], locale: str, inputmode: str
) -> None:
    """The separator comes from the worker: the page's main thread never starts ICU for it.

    A renderer's first Intl.NumberFormat costs tens of ms (bench/README.md).
    """
    context, _ = new_context(browser, locale=locale, service_workers="block")
    context.add_init_script(_COUNT_NUMBER_FORMATS)
    page = context.new_page()
    page.goto(base_url + calculator_pages["oral-to-iv"])
    form = page.locator('form[data-calculator="oral-to-iv"]')
    expect(form.locator("[data-calculator-output]")).to_have_attribute("data-state", "ready")
    expect(form.locator('[name="oral_daily_mg"]')).to_have_attribute("inputmode", inputmode)
    assert page.evaluate("window.__ourNumberFormats") == 0
    context.close()


def test_without_a_worker_the_page_looks_up_the_separator_itself(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """The worker script cannot load: the page finds the comma locale on its own."""
    context, _ = new_context(
        browser, locale="de-DE", service_workers="block", dedicated_worker=True
    )
    context.add_init_script(_COUNT_NUMBER_FORMATS)
    context.route(
        "**/calculator-worker.js", lambda route: route.fulfill(status=404, body="not found")
    )
    page = context.new_page()
    page.goto(base_url + calculator_pages["oral-to-iv"])
    form = page.locator('form[data-calculator="oral-to-iv"]')
    expect(form.locator("[data-calculator-output]")).to_have_attribute("data-live", "failed")
    expect(form.locator('[name="oral_daily_mg"]')).to_have_attribute("inputmode", "text")
    assert page.evaluate("window.__ourNumberFormats") == 1
    context.close()


@pytest.mark.parametrize(("locale", "inputmode"), [("en-US", "decimal"), ("de-DE", "text")])
def test_comma_locale_gets_a_keyboard_with_a_point(
    browser: Browser, base_url: str, calculator_pages: dict[str, str], locale: str, inputmode: str
) -> None:
    """Where the locale writes decimals with a comma, number fields ask for a full keyboard.

    A decimal keypad there offers only "," (iOS), which Python refuses: a dead end.
    """
    context, _ = new_context(browser, locale=locale, service_workers="block")
    page = context.new_page()
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())  # not needed here
    page.goto(base_url + calculator_pages["oral-to-iv"])
    form = page.locator('form[data-calculator="oral-to-iv"]')
    expect(form).to_have_attribute("data-live", "bound")
    for name in ("oral_daily_mg", "doses_per_day"):
        expect(form.locator(f'[name="{name}"]')).to_have_attribute("inputmode", inputmode)
    context.close()
