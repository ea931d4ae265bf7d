/*
 * recent.c -- a window of recent names in fixed memory (see recent.h).
 *
 * A ring buffer holds the hashes of the last EVS_RECENT_MAX runs; a hash
 * table with twice as many slots counts each hash's runs in the ring.
 * Deletion shifts the following entries of a probe sequence back (Knuth's
 * algorithm R, TAOCP 6.4), so the table needs no tombstones and every
 * lookup stays short.
 */
#include "cli/recent.h"

#include <stdbool.h>
#include <string.h>

#define NSLOTS (2 * EVS_RECENT_MAX)

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211u;
    }
    return h ? h : 1; /* 0 marks an empty slot */
}

void evs_recent_init(evs_recent *r)
{
    memset(r, 0, sizeof *r);
}

/* The slot holding hash h, or the empty slot where it would go. */
static size_t find(const evs_recent *r, uint64_t h)
{
    size_t i = (size_t)(h & (NSLOTS - 1));
    while (r->slot[i].hash != 0 && r->slot[i].hash != h)
        i = (i + 1) & (NSLOTS - 1);
    return i;
}

static void forget(evs_recent *r, uint64_t h)
{
    size_t i = find(r, h);
    if (r->slot[i].hash == 0 || --r->slot[i].runs > 0)
        return;
    /* Empty slot i, then move back any entry that can no longer be reached. */
    r->slot[i].hash = 0;
    for (size_t j = (i + 1) & (NSLOTS - 1); r->slot[j].hash != 0; j = (j + 1) & (NSLOTS - 1)) {
        size_t home = (size_t)(r->slot[j].hash & (NSLOTS - 1));
        /* the entry at j may stay if its home lies cyclically in (i, j] */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays)
            continue;
        r->slot[i] = r->slot[j];
        r->slot[j].hash = 0;
        i = j;
    }
}

long evs_recent_add(evs_recent *r, const char *name, long line)
{
    uint64_t h = fnv1a(name);
    size_t i = find(r, h);
    long earlier = r->slot[i].hash != 0 ? r->slot[i].line : 0;
    if (r->count == EVS_RECENT_MAX) {
        forget(r, r->ring[r->next]);
        r->count--;
        i = find(r, h); /* the deletion may have moved it */
    }
    r->ring[r->next] = h;
    r->next = (r->next + 1) & (EVS_RECENT_MAX - 1);
    r->count++;
    if (r->slot[i].hash == 0)
        r->slot[i] = (evs_recent_slot){.hash = h, .line = line, .runs = 0};
    r->slot[i].runs++;
    return earlier;
}
