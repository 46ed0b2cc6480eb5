/**
 * The orchestrator: {@link io.github.autodeploy.core.engine.Autodeploy} turns webhook events into
 * work, gates auto-deploys on CI, runs deployments one at a time per lane, posts statuses through an
 * ordered retrying outbox, and recovers after a restart. It uses ports only, never a concrete adapter.
 */
package io.github.autodeploy.core.engine;
