/*
 * A failed-code flood for Tests/Benchmarks/hostile-load.py (issue 10), in C so that the load
 * generator does not take the cores the measured server needs: Python's asyncio managed about
 * 1,700 connections a second on a 2-core machine and, overloaded, held thousands of connections
 * open without writing, which the server then rightly closed.
 *
 *   cc -O2 -o flood flood.c
 *   ./flood PORT PATH RATE SECONDS ADDRESSES
 *
 * Opens RATE connections a second for SECONDS, the n-th from source address 127.1.(n/250).(n%250+1)
 * modulo ADDRESSES (Linux routes all of 127/8 to loopback), each sending one
 * `GET PATH` with a wrong bearer code and `Connection: close`, and reads the answer to its end.
 * Prints one JSON line: requests opened, seconds, answers by status ("none" = closed without a
 * status line, "errno-N" = a socket error), the most connections open at once, and the time from
 * connect to the end of the answer (p50/p99, ms).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

enum { MAX_OPEN = 60000, STATUSES = 600 };

struct conn {
    double started;
    int sent;
    char head[16];
    int got;
};

static struct conn conns[65536];
static long statuses[STATUSES], none, errnos[256];
static double *latencies;
static long nlat, latcap;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void finish(int ep, int fd, int err) {
    struct conn *c = &conns[fd];
    if (err) {
        errnos[err & 255]++;
    } else if (c->got >= 12 && memcmp(c->head, "HTTP/1.", 7) == 0) {
        int status = atoi(c->head + 9);
        statuses[status > 0 && status < STATUSES ? status : 0]++;
        if (nlat == latcap) {
            latcap = latcap ? latcap * 2 : 65536;
            latencies = realloc(latencies, latcap * sizeof *latencies);
        }
        latencies[nlat++] = (now() - c->started) * 1000;
    } else {
        none++;
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s PORT PATH RATE SECONDS ADDRESSES\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    const char *path = argv[2];
    double rate = atof(argv[3]), seconds = atof(argv[4]);
    long addresses = atol(argv[5]);
    char request[1024];
    int length = snprintf(request, sizeof request,
                          "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer WRONG\r\nConnection: close\r\n\r\n", path);
    struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event events[512];
    double t0 = now();
    long opened = 0, open = 0, peak = 0;
    for (;;) {
        double t = now() - t0;
        long due = t < seconds ? (long)(t * rate) : opened;
        while (opened < due && open < MAX_OPEN) {
            long n = opened++ % addresses;
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) { errnos[errno & 255]++; continue; }
            int one = 1;
            setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
            struct sockaddr_in local = {.sin_family = AF_INET};
            local.sin_addr.s_addr = htonl((127u << 24) | (1u << 16) | ((unsigned)(n / 250) << 8) | (unsigned)(n % 250 + 1));
            if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0 ||
                (connect(fd, (struct sockaddr *)&server, sizeof server) != 0 && errno != EINPROGRESS)) {
                errnos[errno & 255]++;
                close(fd);
                continue;
            }
            conns[fd] = (struct conn){.started = now()};
            struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.fd = fd};
            epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            if (++open > peak) peak = open;
        }
        if (t >= seconds && open == 0) break;
        if (t >= seconds + 30) break; /* whatever is still open by now counts as unanswered */
        int ready = epoll_wait(ep, events, 512, 1);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            struct conn *c = &conns[fd];
            if (events[i].events & EPOLLERR) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                finish(ep, fd, err ? err : EIO);
                open--;
                continue;
            }
            if (!c->sent && (events[i].events & EPOLLOUT)) {
                if (write(fd, request, length) != length) { finish(ep, fd, errno ? errno : EIO); open--; continue; }
                c->sent = 1;
                struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = fd};
                epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
            }
            if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
                char buffer[4096];
                ssize_t got;
                while ((got = read(fd, buffer, sizeof buffer)) > 0) {
                    int keep = (int)sizeof c->head - c->got;
                    if (keep > 0) { memcpy(c->head + c->got, buffer, got < keep ? got : keep); c->got += got < keep ? got : keep; }
                }
                if (got == 0) { finish(ep, fd, 0); open--; }
                else if (errno != EAGAIN) { finish(ep, fd, errno); open--; }
            }
        }
    }
    double elapsed = now() - t0;
    printf("{\"opened\": %ld, \"seconds\": %.2f, \"peak_open\": %ld, \"unfinished\": %ld, \"answers\": {", opened, elapsed, peak, open);
    const char *sep = "";
    for (int s = 0; s < STATUSES; s++) if (statuses[s]) { printf("%s\"%d\": %ld", sep, s, statuses[s]); sep = ", "; }
    if (none) { printf("%s\"none\": %ld", sep, none); sep = ", "; }
    for (int e = 0; e < 256; e++) if (errnos[e]) { printf("%s\"errno-%d\": %ld", sep, e, errnos[e]); sep = ", "; }
    qsort(latencies, nlat, sizeof *latencies, cmp);
    printf("}, \"p50_ms\": %.2f, \"p99_ms\": %.2f}\n", nlat ? latencies[nlat / 2] : 0.0, nlat ? latencies[(long)(nlat * 0.99)] : 0.0);
    return 0;
}
