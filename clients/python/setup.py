"""Generates the stubs when pip builds the package (`pip install ./clients/python`), before setuptools looks for
packages, so the wheel carries abscan_client._gen. The setup script runs gen_stubs.py itself as well."""
import pathlib
import subprocess
import sys

from setuptools import find_packages, setup

HERE = pathlib.Path(__file__).resolve().parent

if (HERE.parent.parent / "proto" / "src" / "main" / "proto").is_dir():
    subprocess.check_call([sys.executable, str(HERE / "gen_stubs.py")], stdout=subprocess.DEVNULL)

setup(packages=find_packages(where="src"), package_dir={"": "src"})
