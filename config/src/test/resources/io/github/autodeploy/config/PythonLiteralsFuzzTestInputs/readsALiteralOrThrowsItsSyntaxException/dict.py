# The Flask robot's config.py, as written by hand.
import os

SECRET = "flask-webhook-secret-0123456789"
TOKEN = 'ghp_flaskTokenValue0123456789'
SLACK_WEBHOOK = "https://hooks.slack.com/services/T000/B000/" \
    "XXXXflaskslack"
DEBUG = False
PORT = 8000

REPOS = {
    "octo/app": {
        "folder": "/srv/app",
        "commands": ["git pull", "make deploy", 'echo "deployed app"'],
        "required_contexts": ["ci/build", "ci/test"],  # both must pass
    },
    'octo/api': {
        'folder': r'/srv/api',
        'commands': [
            """git fetch origin""",
            "git checkout --force origin/main",
        ],
        'required_contexts': None,
    },
    "octo/site": {"folder": "/srv/site", "ansible_hosts": "hosts", "ansible_playbook": "site.yml", "required_contexts": [],},
}
