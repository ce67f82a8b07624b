"""`oversight brief` and `oversight dossier`: batch work before a hearing, from the shell."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.reports.pdf_world import CANARY, pages_text
from tests.conftest import command_env

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def oversight(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([OVERSIGHT, *args], env=command_env(folder), capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def world_folder(pdf_world) -> Path:
    return pdf_world[2]


def test_brief_by_reference_code_at_a_clearance(world_folder, tmp_path):
    out = tmp_path / "brief.pdf"
    done = oversight(world_folder, "brief", "PUB-1", "--clearance", "PUBLIC", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {out}: Brief: Programme PUB-1, ")
    assert "marked PUBLIC" in done.stdout
    text = " ".join(pages_text(out.read_bytes()))
    assert "Programme PUB-1" in text and CANARY not in text


def test_brief_by_id_with_the_clearance_in_lower_case(world_folder, pdf_world, tmp_path):
    out = tmp_path / "brief.pdf"
    done = oversight(world_folder, "brief", str(pdf_world[1].pub), "--clearance", "restricted",
                     "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "marked RESTRICTED" in done.stdout
    assert CANARY in " ".join(pages_text(out.read_bytes()))


def test_dossier_of_a_hearing(world_folder, pdf_world, tmp_path):
    out = tmp_path / "dossier.pdf"
    done = oversight(world_folder, "dossier", str(pdf_world[1].sahel), "--clearance",
                     "CONFIDENTIAL", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Dossier: Sahel programmes" in done.stdout
    assert "Contents" in pages_text(out.read_bytes())[1]


@pytest.mark.parametrize("args, message", [
    (["brief", "NO-SUCH", "--clearance", "PUBLIC"],
     "Refused: no programme NO-SUCH at PUBLIC clearance."),
    (["brief", "RES-1", "--clearance", "PUBLIC"],
     "Refused: no programme RES-1 at PUBLIC clearance."),
    (["dossier", "999", "--clearance", "PUBLIC"], "Refused: no hearing 999 at PUBLIC clearance."),
])
def test_what_the_clearance_cannot_see_is_refused(world_folder, tmp_path, args, message):
    out = tmp_path / "out.pdf"
    done = oversight(world_folder, *args, "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.strip() == message
    assert not out.exists()


def test_a_hearing_without_agenda_is_refused(world_folder, pdf_world, tmp_path):
    done = oversight(world_folder, "dossier", str(pdf_world[1].nothing), "--clearance",
                     "PUBLIC", "-o", str(tmp_path / "out.pdf"))
    assert done.returncode == 1
    assert "has no programmes on its agenda" in done.stderr


def test_wrong_usage_exits_2(world_folder, tmp_path):
    done = oversight(world_folder, "brief", "PUB-1", "--clearance", "SECRET", "-o",
                     str(tmp_path / "out.pdf"))
    assert done.returncode == 2


def test_an_unwritable_output_is_refused_and_leaves_nothing(world_folder, tmp_path):
    done = oversight(world_folder, "brief", "PUB-1", "--clearance", "PUBLIC", "-o",
                     str(tmp_path / "missing" / "brief.pdf"))
    assert done.returncode == 1
    assert done.stderr.startswith("Refused: cannot write ")
    assert list(tmp_path.iterdir()) == []


def test_the_benchmark_prints_its_figures(tmp_path):
    done = oversight(tmp_path, "benchmark", "reports", "--programmes", "2", "--chromium", "none")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for label in ("Brief (nothing cached)", "Dossier, 2 programmes (nothing cached)",
                  "Dossier again after editing one programme"):
        line = next(line for line in lines if line.startswith(label))
        assert " pages/s " in line and " MB peak " in line
    assert "Chromium: skipped (not found, or --chromium none)." in lines
