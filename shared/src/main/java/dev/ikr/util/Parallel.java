package dev.ikr.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Bounded parallelism for per-user work: results in the input's order, an {@link Error} ends the whole call. */
public final class Parallel {

    private Parallel() {
    }

    /**
     * Applies {@code work} to every item, at most {@code concurrency} at a time. {@code work} is expected to turn
     * its own failures into results; anything it throws ends the call.
     */
    public static <T, R> List<R> map(List<T> items, int concurrency, Function<T, R> work) {
        List<R> results = new ArrayList<>(items.size());
        try (ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, concurrency))) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(workers.submit(() -> work.apply(item)));
            }
            for (Future<R> future : futures) {
                results.add(join(future));
            }
        }
        return results;
    }

    private static <R> R join(Future<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for parallel work", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
