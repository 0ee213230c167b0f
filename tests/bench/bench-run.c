/* hvd-bench-run: runs one command and prints its wall time, CPU time and
 * peak RSS as one JSON line on stderr's sibling, stdout.
 *
 *   hvd-bench-run COMMAND [ARG ...]
 *
 * Why a separate process: Linux carries a process's peak RSS across fork and
 * exec, so a child forked straight from the Python runner would never read
 * below the runner's own ~20 MiB. Forked from this small program, the
 * command's peak is its own. The command's stdout is discarded, its stderr
 * passed through; exit status: the command's (127 if it cannot start). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hvd-bench-run COMMAND [ARG ...]\n");
        return 2;
    }
    double start = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("hvd-bench-run: fork");
        return 127;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            close(null);
        }
        execvp(argv[1], argv + 1);
        fprintf(stderr, "hvd-bench-run: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("hvd-bench-run: wait4");
            return 127;
        }
    }
    double wall = now_s() - start;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("{\"wall_s\":%.6f,\"cpu_s\":%.6f,\"rss_kib\":%ld,\"exit\":%d}\n", wall, cpu, ru.ru_maxrss, code);
    return code;
}
