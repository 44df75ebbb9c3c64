"""The jobs blueprint, shared by the people pages and the job pages."""
from flask import Blueprint

bp = Blueprint("jobs", __name__)
