package io.splitline.devkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Requests as several clients re-sending the same events make them, for exactly-once tests: rounds in
 * which every client sends at most one request, the requests of a round released together by a barrier.
 * Every event is sent 1–4 times, its copies in requests of different clients of the same round (so the
 * same ids are in flight together), a quarter of the copies re-sent a round or two later; an event is
 * never twice in one request.
 *
 * @param <E> an event, as the test sends it
 */
public final class ResendSchedule<E> {
    /** Sends one request of one client and returns how many of its events were accepted. */
    @FunctionalInterface
    public interface Client<E> {
        int send(List<E> request) throws Exception;
    }

    private final int clients;
    /** {@code rounds.get(r).get(c)}: the events client c sends in round r (none: it sends nothing). */
    private final List<List<List<E>>> rounds = new ArrayList<>();

    public ResendSchedule(int clients) {
        this.clients = clients;
    }

    /**
     * Appends the rounds that send these events, {@code 1..maxNew} new distinct events per round; the
     * rounds of a later call start after every copy of this call's events was sent.
     */
    public ResendSchedule<E> then(List<E> events, int maxNew, Random random) {
        int first = rounds.size();
        int round = first;
        for (int from = 0; from < events.size(); round++) {
            int size = 1 + random.nextInt(maxNew);
            for (E event : events.subList(from, Math.min(events.size(), from + size))) {
                List<Integer> order = new ArrayList<>(IntStream.range(0, clients).boxed().toList());
                Collections.shuffle(order, random);
                int copies = 1 + random.nextInt(Math.min(4, clients));
                for (int copy = 0; copy < copies; copy++) {
                    int at = round + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
                    request(at, order.get(copy)).add(event);
                }
            }
            from += size;
        }
        for (int r = first; r < rounds.size(); r++) {
            rounds.get(r).forEach(request -> Collections.shuffle(request, random));
        }
        return this;
    }

    private List<E> request(int round, int client) {
        while (rounds.size() <= round) {
            List<List<E>> requests = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                requests.add(new ArrayList<>());
            }
            rounds.add(requests);
        }
        return rounds.get(round).get(client);
    }

    /** The largest request of the schedule. */
    public int maxRequestSize() {
        return rounds.stream().flatMap(List::stream).mapToInt(List::size).max().orElse(0);
    }

    /**
     * Runs the schedule, one thread per client, every round's requests released together; returns the
     * total of the clients' accepted counts. A client's failure fails the run once every round was sent.
     *
     * @param client builds client c's sender (each its own, like separate callers)
     */
    public int run(IntFunction<Client<E>> client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CyclicBarrier start = new CyclicBarrier(clients);
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int index = c;
                Client<E> sender = client.apply(c);
                results.add(pool.submit(() -> {
                    int accepted = 0;
                    Throwable failure = null;
                    for (List<List<E>> requests : rounds) {
                        start.await(); // keep every round's barrier even after a failure, so no client waits for ever
                        List<E> request = requests.get(index);
                        if (failure == null && !request.isEmpty()) {
                            try {
                                accepted += sender.send(request);
                            } catch (Exception | Error e) {
                                // An assertion failing inside a sender is an Error: caught too, or this client would
                                // leave the barrier one party short and every other client would wait for ever.
                                failure = e;
                            }
                        }
                    }
                    if (failure instanceof Error error) {
                        throw error;
                    }
                    if (failure != null) {
                        throw (Exception) failure;
                    }
                    return accepted;
                }));
            }
            int accepted = 0;
            for (Future<Integer> result : results) {
                accepted += result.get();
            }
            return accepted;
        } finally {
            pool.shutdownNow();
        }
    }
}
