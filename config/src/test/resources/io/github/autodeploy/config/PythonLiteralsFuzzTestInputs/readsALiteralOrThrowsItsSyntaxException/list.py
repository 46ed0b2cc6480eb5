# Rendered by the Flask robot's Ansible template (config.py.j2).
SECRET = 'flask-webhook-secret-0123456789'
TOKEN = 'ghp_flaskTokenValue0123456789'
SLACK_WEBHOOK = None
REPOS = [
    {
        'repo': 'octo/app',
        'folder': '/srv/app',
        'ansible_hosts': 'hosts',
        'ansible_playbook': 'site.yml',
        'required_contexts': ['ci/build'],
    },
    {
        'repo': 'octo/web',
        'folder': '/srv/web',
        'commands': ['./deploy.sh --env production'],
        'required_contexts': None,
    },
]
