/**
 * Ansible for Autodeploy: {@link io.github.autodeploy.ansible.AnsiblePlanner} plans a rule's playbook
 * as one {@code ansible-playbook} step and reads its exit code and PLAY RECAP (or the json callback's
 * stats) into the deployment's status.
 */
package io.github.autodeploy.ansible;
