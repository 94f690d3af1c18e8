// Package delivery is Hookhub's outbound engine: it claims due deliveries from the
// store, hands each to the sender of its destination's type (package sender: a
// signed HTTP request for webhooks, a confirmed publish for event buses),
// decides from the result whether the delivery succeeded, must be retried or
// has failed, and records every attempt. Everything but the publish itself is
// one code path for every destination type.
//
// The queue lives in the database (see hookhub.Store.ClaimDeliveries); this
// package keeps only short-lived state in memory: claimed deliveries waiting for a
// slot of their destination, destinations cached until they change, and attempt results
// waiting to be written in the next batch. A process that dies loses none of it
// for good: every claim is a lease, and a delivery whose lease expires is claimed
// again (at-least-once delivery; receivers dedupe on webhook-id, which is the
// delivery ID and the same on every attempt).
//
// Decisions worth knowing:
//
//   - Isolation. Each destination has a lane that enforces its MaxConcurrency
//     and RateLimit. Claimed deliveries wait in their lane, never in the claim
//     loop, so a slow receiver holds only its own slots. A lane keeps only the
//     deliveries it can start before their lease runs out, estimated from its
//     receiver's latency; the rest are left to their lease and claimed again
//     when it expires. That lets the engine claim past a slow destination's
//     backlog to reach the others.
//   - Leases. Each claim takes a fresh lease token and a result is recorded
//     only under it: a worker that outlived its lease (a stalled process, a
//     slow store) cannot undo what the delivery's next holder recorded.
//   - Batching. Results are written by one recorder in transactions of up to
//     BatchSize: whatever piled up while the previous batch was written.
//   - Outcomes come from the sender: success; retry on the destination's
//     schedule, or after the wait the sender asks for if longer; fail for good;
//     or fail and disable the destination. For webhooks (package
//     sender/webhook) 2xx succeeds, 410 disables, and anything else (network
//     errors, timeouts, 3xx, since redirects are never followed, other
//     statuses) is retried, after Retry-After on 429 and 503 if longer.
//   - A disabled destination's due deliveries are failed at once, without a
//     request, with the reason as their error, so nothing is sent and nothing
//     piles up; they can be resent (RequeueDelivery, RequeueFailed) once the
//     destination is enabled. SendNow sends to disabled destinations, because
//     testing one is how a user decides to enable it.
//   - A destination whose deliveries fail AutoDisableAfter times in a row is
//     disabled, in one transaction with the destination.disabled event that
//     announces it, and only if the count read in that transaction still
//     says so: an edit that re-enabled it meanwhile wins. Whoever enables it
//     again should reset its ConsecutiveFailures, or the next failure
//     disables it anew.
//   - A delivery that fails for good (no retries left, or 410) is announced
//     by a delivery.failed event, committed with the failure. Both events are
//     routed like published ones to every destination whose filter matches,
//     but never to the destination they are about; a delivery.failed event
//     whose own delivery fails is not announced again.
//   - Edits apply to the next request: the engine forgets a destination or
//     source as soon as the store reports it changed (hookhub.Store.Watch),
//     and a claimed delivery takes its destination's current settings when
//     its request starts.
package delivery
