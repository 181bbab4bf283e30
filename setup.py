"""The example playbooks ship inside the package: `playbooks/` (edited in the repository) is copied into the
wheel as `bot/default_playbooks/`, so `opsbot demo`, `opsbot console` and `opsbot init` work from any folder.
Everything else is in pyproject.toml. A source checkout and an editable install read `playbooks/` directly."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithPlaybooks(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            target = Path(self.build_lib) / "bot" / "default_playbooks"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(__file__).parent / "playbooks", target)


setup(cmdclass={"build_py": BuildWithPlaybooks})
