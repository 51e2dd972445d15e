"""A bare Flask page under gunicorn: the reference of bench/http_load.py."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Bonjour"
