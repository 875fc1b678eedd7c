"""`python -m calculators` shows the clinical review's warnings (in-process, so Pyodide too)."""

import pytest

from calculators.__main__ import main

CASES = [
    (
        [
            "renal-function",
            "--age-years",
            "85",
            "--weight-kg",
            "50",
            "--sex",
            "female",
            "--serum-creatinine",
            "0.3",
        ],
        ["Caution: A serum creatinine of 0.3 mg/dL is low", "a reduction may still be needed"],
    ),
    (
        ["renal-function", "--on-dialysis", "yes", "--planned-daily-mg", "30"],
        ["Danger: On dialysis: Wolf 2018 advises avoiding baclofen on dialysis"],
    ),
    (
        [
            "itb-initial-dose",
            "--screening-dose-mcg",
            "75",
            "--effect-hours",
            "4",
            "--negative-reactions",
            "yes",
        ],
        ["Initial daily dose: 75 mcg/day", "Caution: Negative reactions to the screening bolus"],
    ),
    (
        ["itb-refill", "--daily-dose-mcg", "5000", "--concentration-mcg-per-ml", "500"],
        ["Caution: This fill reaches its refill-by day in 1.5 days, under 14 days"],
    ),
    (
        ["itb-titration", "--current-daily-mcg", "400"],
        ["Caution: The largest increase here, 30% a day, is above 20%"],
    ),
    (
        ["oral-taper", "--dose-unit-mg", "2.5"],
        ["Caution: A 2.5 mg step means half tablets"],
    ),
    (
        ["oral-titration", "--start-dose-mg", "10", "--target-daily-mg", "60"],
        ["Caution: This titrates faster than the label's suggested schedule"],
    ),
]


@pytest.mark.parametrize(("argv", "expected"), CASES, ids=lambda v: " ".join(v)[:40])
def test_cli_warnings_are_printed(argv, expected, capsys):
    """Each new rule's warning reaches the terminal, with its severity."""
    assert main(argv) == 0
    out = capsys.readouterr().out
    for text in expected:
        assert text in out


def test_cli_warnings_decimal_comma_is_a_field_error(capsys):
    """'7,5' on the command line is refused with the field's message, exit status 2."""
    assert main(["oral-to-iv", "--oral-daily-mg", "7,5"]) == 2
    err = capsys.readouterr().err
    assert "--oral-daily-mg: Oral daily dose must be written with a decimal point" in err
