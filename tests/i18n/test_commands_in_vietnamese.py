"""The `readiness` commands speak the language of `--lang`, before or after a
subcommand, else of $READINESS_LANGUAGE, else the site's (English)."""

import argparse
import io
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.utils import translation

from readiness.assessments.models import Assessment, QuestionRating
from tests.hostile.conftest import run_readiness

# Some of the project's own commands, written out so that the test cannot
# pass by finding none; every command of the project is checked.
PROJECT_COMMANDS = {
    "accounts",
    "assessment",
    "backup",
    "db_worker",
    "demo",
    "frameworks",
    "plan",
    "registry",
    "report",
    "restore",
    "review",
}


def output_of(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def language_options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in parser._actions if "--lang" in action.option_strings]


def test_every_command_of_the_project_takes_lang_before_and_after_its_subcommand() -> None:
    ours = {name: app for name, app in get_commands().items() if app.startswith("readiness.")}
    assert PROJECT_COMMANDS <= set(ours)
    for name, app in ours.items():
        parser = load_command_class(app, name).create_parser("readiness", name)
        [option] = language_options(parser)
        assert option.choices == ["en", "vi"], name
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for subcommand, subparser in action.choices.items():
                    assert len(language_options(subparser)) == 1, f"{name} {subcommand}"


def test_a_language_the_site_does_not_have_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'fr'"):
        call_command("demo", "--lang", "fr")


def test_the_plan_is_shown_in_vietnamese(demo: Assessment) -> None:
    out = output_of("plan", "show", "vietnam-2019", "--lang", "vi")
    assert "dgra-lg-1\ttháng 1-6\t" in out
    assert "đường găng (*): " in out
    assert "months" not in out and "critical path" not in out


def test_the_readiness_checklist_is_listed_in_vietnamese(demo: Assessment) -> None:
    QuestionRating.objects.filter(
        assessment=demo, question__framework__key="dgra", question__key="1.1"
    ).delete()
    out = output_of("review", "--lang", "vi", "readiness", "vietnam-2019")
    assert out.startswith("chưa sẵn sàng: 108 trên 109 câu hỏi đã được đánh giá\n")
    assert "bắt buộc\t1 câu hỏi chưa được đánh giá\tdgra 1.1" in out


def test_a_refusal_of_the_cli_is_in_vietnamese(demo: Assessment) -> None:
    call_command("accounts", "create-user", "thu", stdout=io.StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("accounts", "--lang", "vi", "create-user", "thu")
    assert str(refused.value) == "người dùng thu đã tồn tại"
    with pytest.raises(CommandError) as refused:
        call_command(
            "plan",
            "edit",
            "vietnam-2019",
            "dgra-lg-1",
            "--version",
            "1",
            "--set",
            "title",
            "--lang",
            "vi",
        )
    assert str(refused.value) == "--set title: hãy viết TRƯỜNG=GIÁ_TRỊ"


def test_the_language_comes_from_readiness_language_when_not_given(
    demo: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_LANGUAGE", "vi")
    assert output_of("demo").startswith("Cuộc đánh giá mẫu vietnam-2019 đã có sẵn.\n")
    assert output_of("demo", "--lang", "en").startswith(
        "Demo assessment vietnam-2019 already present.\n"
    )
    monkeypatch.setenv("READINESS_LANGUAGE", "klingon")
    assert output_of("demo").startswith("Demo assessment vietnam-2019 already present.\n")


def test_what_the_readiness_program_says_before_the_command_is_in_vietnamese(
    tmp_path: Path,
) -> None:
    result = run_readiness(tmp_path, "plan", "show", "vietnam-2019", "--lang=vi")
    assert result.returncode == 1
    assert result.stderr.startswith(f"chưa có cơ sở dữ liệu tại {tmp_path / 'readiness.sqlite3'};")
    assert "hãy chạy: readiness migrate" in result.stderr


def test_a_move_of_the_workflow_names_the_state_in_vietnamese(demo: Assessment) -> None:
    out = output_of("review", "--as", "demo", "move", "vietnam-2019", "in_review", "--lang", "vi")
    assert out == "vietnam-2019 nay ở trạng thái Đang thẩm định (in_review)\n"


# Help that is not the project's to translate: argparse's own -h, and the
# options django-tasks-db's worker gives `readiness db_worker`.
HELP_OF_OTHERS = {
    "--help",
    "--queue-name",
    "--exclude-queues",
    "--interval",
    "--batch",
    "--reload",
    "--backend",
    "--no-startup-delay",
    "--max-tasks",
    "--worker-id",
}


def help_printed(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What `readiness ARGV` prints, ARGV asking for --help, parsed as on the
    command line (the language is chosen there, before argparse prints)."""
    name = argv[0]
    command = load_command_class(get_commands()[name], name)
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["readiness", *argv])
    assert exited.value.code == 0
    return capsys.readouterr().out


def helps_of(name: str, language: str) -> dict[str, str]:
    """Each description and option help of a command and its subcommands (a
    subcommand's description is its line in the command's list), as text in
    LANGUAGE, keyed by where it is."""
    with translation.override(language):
        parser = load_command_class(get_commands()[name], name).create_parser("readiness", name)
        parsers = {name: parser}
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for subcommand, subparser in action.choices.items():
                    parsers[f"{name} {subcommand}"] = subparser
        found = {}
        for where, each in parsers.items():
            if each.description:
                found[f"{where}: description"] = str(each.description)
            for option in each._actions:
                others = HELP_OF_OTHERS & set(option.option_strings)
                if option.help and option.help != argparse.SUPPRESS and not others:
                    named = option.option_strings[-1] if option.option_strings else option.dest
                    found[f"{where} {named}"] = str(option.help)
        return found


def test_the_help_of_a_command_is_in_vietnamese_with_lang_before_or_after(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plan = help_printed(capsys, "plan", "--help", "--lang=vi")
    assert "Kế hoạch hành động: nhập một tệp kế hoạch" in plan
    assert "show                các hành động, các tháng và đường găng\n" in plan
    assert "Bỏ qua các bước kiểm tra hệ thống." in plan
    assert "Action plans" not in plan and "critical path" not in plan
    show = help_printed(capsys, "plan", "--lang", "vi", "show", "--help")
    assert "\ncác hành động, các tháng và đường găng\n" in show
    edit = help_printed(capsys, "plan", "edit", "--help", "--lang", "vi")
    assert "phiên bản làm căn cứ" in edit
    assert "the version it is based on" not in edit


def test_the_help_of_a_command_follows_readiness_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_LANGUAGE", "vi")
    report = help_printed(capsys, "report", "--help")
    assert "Tạo báo cáo của một cuộc đánh giá ngay" in report
    assert "mặc định: tên tệp của báo cáo" in report
    assert "hành động với tư cách người dùng này" in report
    accounts = help_printed(capsys, "accounts", "create-user", "--help")
    assert "tạo một người dùng; in ra mật khẩu" in accounts
    assert "quản trị viên trang" in accounts
    english = help_printed(capsys, "accounts", "create-user", "--help", "--lang", "en")
    assert "create a user; prints the password" in english
    assert "site administrator" in english


def test_help_with_a_language_the_site_does_not_have_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    command = load_command_class("readiness.demo", "demo")
    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["readiness", "demo", "--lang", "fr", "--help"])
    assert exited.value.code == 2
    assert "argument --lang: invalid choice: 'fr'" in capsys.readouterr().err


def test_every_help_text_of_every_command_is_translated() -> None:
    ours = sorted(name for name, app in get_commands().items() if app.startswith("readiness."))
    assert PROJECT_COMMANDS <= set(ours)
    for name in ours:
        english, vietnamese = helps_of(name, "en"), helps_of(name, "vi")
        assert english.keys() == vietnamese.keys()
        assert f"{name}: description" in english
        for where, text in english.items():
            assert vietnamese[where] != text, where
