/*
 * LD_PRELOAD helper of the sandbox openGauss engine (docs/sandbox-engine.md, "Source addresses").
 * Every Pod has its own 127.x.y.z address, but Linux gives loopback connections the source 127.0.0.1,
 * so a primary would see every standby as 127.0.0.1 (gs_ctl query's channel, pg_hba lines). When
 * OG_SOURCE_IP is set, an unbound IPv4 socket connecting to a loopback address is first bound to it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

static int is_unbound_ipv4(int fd)
{
    struct sockaddr_in self;
    socklen_t len = sizeof self;
    memset(&self, 0, sizeof self);
    if (getsockname(fd, (struct sockaddr *)&self, &len) != 0)
        return 0;
    return self.sin_family == AF_INET && self.sin_port == 0 && self.sin_addr.s_addr == htonl(INADDR_ANY);
}

static void bind_source(int fd, const char *source)
{
    struct sockaddr_in local;
    int saved = errno;
    memset(&local, 0, sizeof local);
    local.sin_family = AF_INET;
    if (inet_pton(AF_INET, source, &local.sin_addr) == 1)
        (void)bind(fd, (struct sockaddr *)&local, sizeof local);
    errno = saved;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    static connect_fn real_connect;
    const char *source = getenv("OG_SOURCE_IP");
    if (real_connect == NULL)
        real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
    if (source != NULL && *source != '\0' && addr != NULL && addr->sa_family == AF_INET) {
        const struct sockaddr_in *target = (const struct sockaddr_in *)addr;
        if ((ntohl(target->sin_addr.s_addr) >> 24) == 127 && is_unbound_ipv4(fd))
            bind_source(fd, source);
    }
    return real_connect(fd, addr, len);
}
