/**
 * The server's scheduler: when each target runs, how many run at once, and how an unreachable node is
 * retried. Pure logic over the JDK; the world comes in through {@link
 * org.clusterbackup.core.schedule.RunExecutor} (one blocking backup), {@link
 * org.clusterbackup.core.schedule.Prober} (does an agent answer?), a {@link java.time.Clock} and an
 * {@link java.util.concurrent.Executor}.
 *
 * <h2>Wiring it in the server</h2>
 * <ol>
 *   <li>At start-up, after the catalog has marked executions left RUNNING by a crash as failed, build one
 *       {@link org.clusterbackup.core.schedule.RestoredTarget} per active target from its newest execution
 *       (start time and result; {@code null, null} when it never ran) and call
 *       {@link org.clusterbackup.core.schedule.BackupScheduler#start}.</li>
 *   <li>On register (new or reactivated): {@code add(target)}. On unregister: {@code remove(id)}. On
 *       run-now: {@code runNow(id)}, whose future gives the result to send back. For status:
 *       {@code status(id)}.</li>
 *   <li>The {@code RunExecutor} writes the execution row and classifies failures: connect refused, timeout
 *       or a connection broken mid-transfer is {@code UNREACHABLE}; an {@code Error} from the agent is
 *       {@code REFUSED}; anything else is {@code OTHER}.</li>
 *   <li>On shutdown: {@code close()} (waits for runs in progress), then shut the executor down.</li>
 * </ol>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li>A run's start is when the scheduler hands it to the executor; the next is due at
 *       {@code max(start + every, end)}.</li>
 *   <li>A run that ends STORED, UNCHANGED or REFUSED proves the agent answers, so it also releases the
 *       node's waiting targets, as a probe would.</li>
 *   <li>The probe backoff of a node:port continues (it does not restart) when a target fails UNREACHABLE
 *       again after a probe answered; it is forgotten once no target of that node:port is RETRYING.</li>
 * </ul>
 */
package org.clusterbackup.core.schedule;
