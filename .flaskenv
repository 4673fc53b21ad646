# Read by the `flask` command in a checkout (python-dotenv); gunicorn does not read it.
FLASK_APP=app.py
APP_ENV=development
