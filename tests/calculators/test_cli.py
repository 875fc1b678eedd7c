"""The command line, called in-process (no subprocess, so it also runs inside Pyodide)."""

import json

import pytest

from calculators import CALCULATORS, calculate
from calculators.__main__ import main


def test_cli_taper_prints_a_table(capsys):
    """`oral-taper --current-daily-mg 60` prints the taper table and exits 0."""
    assert main(["oral-taper", "--current-daily-mg", "60"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Oral taper to stop"
    assert "Taper" in lines
    assert any(line.startswith("Days") and "Daily total (mg/day)" in line for line in lines)
    assert any(line.startswith("15 onward") and "stop" in line for line in lines)


def test_cli_json_equals_calculate(capsys):
    """--json prints parseable JSON equal to calculate() on the same (text) inputs."""
    assert main(["oral-taper", "--current-daily-mg", "60", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == calculate("oral-taper", {"current_daily_mg": "60"})


def test_cli_every_flag_reaches_the_calculator(capsys):
    """Each field is a --kebab-case flag; its value reaches the calculator."""
    argv = [
        "itb-refill",
        "--daily-dose-mcg",
        "400",
        "--concentration-mcg-per-ml",
        "500",
        "--reservoir-ml",
        "20",
        "--alarm-ml",
        "2",
        "--refill-date",
        "2025-03-01",
        "--json",
    ]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["days_to_alarm"] == 22.5
    assert result["alarm_date"] == "2025-03-23"


def test_cli_bad_input_exits_2_naming_the_flag(capsys):
    """Bad input exits 2 with an stderr line naming the flag, the limit and the value."""
    assert main(["oral-taper", "--current-daily-mg", "250"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: --current-daily-mg: Current daily dose must be between 0.5 and 200 mg/day "
        "(got 250)\n"
    )


def test_cli_two_bad_flags_give_two_lines(capsys):
    """Every bad flag is reported, one stderr line each."""
    assert main(["oral-titration", "--start-dose-mg", "0", "--target-daily-mg", "250"]) == 2
    lines = capsys.readouterr().err.splitlines()
    flags = [line.split(":")[1].strip() for line in lines]
    assert flags == ["--start-dose-mg", "--target-daily-mg"]


def test_cli_cross_field_error_names_the_flag(capsys):
    """A calculator's own check (target below the start) names the flag too."""
    assert main(["oral-titration", "--target-daily-mg", "10"]) == 2
    assert capsys.readouterr().err.startswith("error: --target-daily-mg: ")


def test_cli_list_shows_every_id(capsys):
    """--list prints one line per calculator, starting with its id."""
    assert main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(CALCULATORS)
    assert len(lines) == len(CALCULATORS) == 12


def test_cli_no_arguments_lists_too(capsys):
    """With no calculator named, the list is printed (exit 0)."""
    assert main([]) == 0
    assert "oral-titration" in capsys.readouterr().out


def test_cli_unknown_calculator_is_a_usage_error(capsys):
    """An unknown calculator is an argparse usage error: exit 2, naming the bad choice."""
    with pytest.raises(SystemExit) as excinfo:
        main(["oral-tapering"])
    assert excinfo.value.code == 2
    assert "invalid choice: 'oral-tapering'" in capsys.readouterr().err


def test_cli_unknown_flag_is_a_usage_error(capsys):
    """A flag that is not a field is rejected by argparse with exit 2."""
    with pytest.raises(SystemExit) as excinfo:
        main(["oral-taper", "--dose", "5"])
    assert excinfo.value.code == 2
    assert "--dose" in capsys.readouterr().err


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_cli_help_shows_ranges_from_the_spec(calc_id, capsys):
    """`<id> --help` lists each field's flag with its range or choices, built from the spec."""
    with pytest.raises(SystemExit) as excinfo:
        main([calc_id, "--help"])
    assert excinfo.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for f in CALCULATORS[calc_id].fields:
        assert "--" + f.name.replace("_", "-") in out
        if f.kind == "number":
            assert " ".join(f.describe_range().split()) in out


def test_cli_top_level_help_lists_every_calculator(capsys):
    """`--help` lists every id and summary, including oral-to-iv's literal '20%'."""
    with pytest.raises(SystemExit) as excinfo:
        main(["--help"])
    assert excinfo.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for calc in CALCULATORS.values():
        assert calc.id in out
    assert "the seed's 20% figure" in out


# --- repeated groups (the flex schedule's steps and boluses) ---------------------------------


def test_cli_repeated_step_flags_reach_the_group(capsys):
    """Each --step START,DURATION,RATE is one step; the JSON equals calculate() on the list."""
    argv = ["itb-flex-schedule", "--intended-daily-mcg", "60", "--step", "0,24,2.5"]
    assert main([*argv, "--bolus", "12,5", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = calculate(
        "itb-flex-schedule",
        {
            "intended_daily_mcg": "60",
            "steps": [{"start_hours": "0", "duration_hours": "24", "rate_mcg_per_hour": "2.5"}],
            "boluses": [{"time_hours": "12", "dose_mcg": "5"}],
        },
    )
    assert printed == expected
    assert printed["total_mcg"] == 65


def test_cli_step_with_too_few_values_is_a_usage_error(capsys):
    """A --step with two values instead of three exits 2, naming the flag and the fields."""
    assert main(["itb-flex-schedule", "--step", "0,12"]) == 2
    assert capsys.readouterr().err == (
        "error: --step: Step 1 needs 3 values separated by commas "
        "(START_HOURS,DURATION_HOURS,RATE_MCG_PER_HOUR) (got '0,12')\n"
    )


def test_cli_group_error_names_the_item_flag(capsys):
    """An error inside a step is reported against --step, with the step's number."""
    assert main(["itb-flex-schedule", "--step", "0,12,10", "--step", "6,12,10"]) == 2
    assert capsys.readouterr().err.startswith("error: --step: Step 2: it overlaps step 1 ")


def test_cli_help_lists_the_group_flags(capsys):
    """`itb-flex-schedule --help` shows --step and --bolus with their ranges from the spec."""
    with pytest.raises(SystemExit):
        main(["itb-flex-schedule", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for group in CALCULATORS["itb-flex-schedule"].groups:
        assert f"--{group.item_label.lower()}" in out
        assert group.describe_count() in out
        for f in group.fields:
            assert " ".join(f.describe_range().split()) in out
