from setuptools import setup

setup(
    name="vulnerable-flask",
    version="0.1.0",
    py_modules=["app"],
    python_requires=">=3.6",
    install_requires=["flask", "pyyaml", "requests"],
)
