package org.clusterbackup.core.schedule;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;

/** One probe of an unreachable node on a worker thread; anything but a yes counts as no answer. */
final class ProbeTask implements WorkerTask {
    private static final System.Logger LOG = System.getLogger(ProbeTask.class.getName());

    /** Called once when the probe has ended. */
    @FunctionalInterface
    interface Ended {
        void ended(ProbeLoop loop, boolean answered);
    }

    private final ProbeLoop loop;
    private final Prober prober;
    private final Ended ended;

    ProbeTask(ProbeLoop loop, Prober prober, Ended ended) {
        this.loop = loop;
        this.prober = prober;
        this.ended = ended;
    }

    @Override
    public void run() {
        boolean answered = false;
        try {
            answered = prober.answers(loop.endpoint.node(), loop.endpoint.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "{0} probe failed: {1}", loop.endpoint, e.toString());
        } finally {
            ended.ended(loop, answered);
        }
    }

    @Override
    public void rejected(RejectedExecutionException e) {
        LOG.log(
                Level.WARNING,
                "{0} executor refused the probe; counted as no answer: {1}",
                loop.endpoint,
                e.toString());
        ended.ended(loop, false);
    }
}
