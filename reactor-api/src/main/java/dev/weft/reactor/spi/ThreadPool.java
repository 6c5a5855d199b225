package dev.weft.reactor.spi;

import dev.weft.reactor.ReactorConfig;
import dev.weft.reactor.internal.Loggers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The reactor's worker threads. Work submitted before {@link #start()} waits for it. {@link #stop()} lets queued
 * work finish and joins the threads. Called on the reactor thread.
 */
final class ThreadPool {
    private static final Logger LOG = Loggers.get(ThreadPool.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String name;
    private final boolean virtual;
    private int maxThreads;
    private ExecutorService executor;
    private List<Runnable> waiting = new ArrayList<>();
    private boolean stopped;
    private final List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());

    ThreadPool(String name, int maxThreads, boolean virtual) {
        this.name = name + "-pool-" + POOLS.incrementAndGet();
        this.maxThreads = maxThreads;
        this.virtual = virtual;
    }

    void setMaxThreads(int n) {
        maxThreads = n;
        if (executor instanceof ThreadPoolExecutor) {
            ThreadPoolExecutor tpe = (ThreadPoolExecutor) executor;
            if (n > tpe.getMaximumPoolSize()) {
                tpe.setMaximumPoolSize(n);
                tpe.setCorePoolSize(n);
            } else {
                tpe.setCorePoolSize(n);
                tpe.setMaximumPoolSize(n);
            }
        }
    }

    int maxThreads() {
        return maxThreads;
    }

    boolean isStarted() {
        return executor != null;
    }

    void submit(Runnable work) {
        if (stopped) {
            throw new IllegalStateException("the thread pool has been stopped (the reactor shut down)");
        }
        if (executor == null) {
            waiting.add(work);
        } else {
            executor.execute(work);
        }
    }

    void start() {
        if (executor != null || stopped) {
            return;
        }
        executor = virtual ? virtualExecutor() : null;
        if (executor == null) {
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(maxThreads, maxThreads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), threadFactory());
            tpe.allowCoreThreadTimeOut(true);
            executor = tpe;
        }
        List<Runnable> w = waiting;
        waiting = new ArrayList<>();
        w.forEach(executor::execute);
    }

    /** Stops taking work, lets queued work finish and waits for the threads to end. */
    void stop() {
        stopped = true;
        if (executor == null) {
            waiting.clear();
            return;
        }
        executor.shutdown();
        boolean interrupted = false;
        try {
            while (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("still waiting for the threads of {} to finish their work", name);
            }
            // Termination means every worker left its loop; join them so that none is alive when stop() returns.
            List<Thread> all;
            synchronized (threads) {
                all = new ArrayList<>(threads);
            }
            for (Thread t : all) {
                t.join();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private ThreadFactory threadFactory() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-thread-" + n.incrementAndGet());
            t.setDaemon(true);
            synchronized (threads) {
                threads.removeIf(old -> !old.isAlive());
                threads.add(t);
            }
            return t;
        };
    }

    private ExecutorService virtualExecutor() {
        try {
            return (ExecutorService) MethodHandles.publicLookup()
                    .findStatic(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class))
                    .invoke();
        } catch (Throwable e) {
            LOG.warn("{}=true needs JDK 21 or later; using platform threads", ReactorConfig.THREADPOOL_VIRTUAL);
            return null;
        }
    }
}
