"""The explorer's blueprint, on which its page modules register their routes."""
from flask import Blueprint

bp = Blueprint("explorer", __name__, template_folder="templates")
