package org.clusterbackup.core.schedule;

import java.util.concurrent.RejectedExecutionException;

/** Work the scheduler hands to its executor, which may refuse it. */
interface WorkerTask extends Runnable {
    /** The executor refused the task: it must still be accounted for, or its slot is lost. */
    void rejected(RejectedExecutionException e);
}
