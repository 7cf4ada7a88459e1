"""Ship the project's data folders inside the package for non-editable
installs (``pip install .``): they land in ``kg/_project/``, where
``kg.paths.project_dir`` finds them when there is no checkout around."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FOLDERS = ("ontology", "shapes", "data", "rules", "queries", "sources")


class BuildWithProjectFiles(build_py):
    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "kg" / "_project"
        for folder in FOLDERS:
            shutil.rmtree(target / folder, ignore_errors=True)
            shutil.copytree(here / folder, target / folder)


setup(cmdclass={"build_py": BuildWithProjectFiles})
