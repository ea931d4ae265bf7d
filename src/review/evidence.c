/*
 * evidence.c -- the evidence base of a review (see evidence.h).
 */
#include "review/evidence.h"

#include "review/appraisal.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Strings are copied into fixed blocks; a block is never moved, so the
 * pointers stay valid until the evidence is freed. */
typedef struct evs_arena {
    struct evs_arena_block *head;
} evs_arena;

typedef struct evs_arena_block {
    struct evs_arena_block *next;
    size_t used, size;
    char data[];
} evs_arena_block;

#define ARENA_BLOCK 16384

evs_evidence *evs_evidence_alloc(void)
{
    evs_evidence *ev = calloc(1, sizeof *ev);
    if (ev == NULL)
        return NULL;
    ev->arena = calloc(1, sizeof *ev->arena);
    if (ev->arena == NULL) {
        free(ev);
        return NULL;
    }
    return ev;
}

void evs_evidence_free(evs_evidence *ev)
{
    if (ev == NULL)
        return;
    evs_arena_block *b = ev->arena ? ev->arena->head : NULL;
    while (b != NULL) {
        evs_arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(ev->arena);
    evs_appraisal_free(ev->appraisal);
    free(ev->studies);
    free(ev->obs);
    free(ev);
}

const char *evs_evidence_strdup(evs_evidence *ev, const char *s)
{
    size_t n = strlen(s) + 1;
    evs_arena_block *b = ev->arena->head;
    if (b == NULL || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (b == NULL)
            return NULL;
        b->next = ev->arena->head;
        b->used = 0;
        b->size = size;
        ev->arena->head = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, n);
    b->used += n;
    return p;
}

/* Make room for one more element of size elem in *items. */
static bool reserve(void **items, size_t count, size_t *cap, size_t elem)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, n * elem);
    if (p == NULL)
        return false;
    *items = p;
    *cap = n;
    return true;
}

evs_study *evs_evidence_add_study(evs_evidence *ev)
{
    void *items = ev->studies;
    if (!reserve(&items, ev->nstudies, &ev->studies_cap, sizeof *ev->studies))
        return NULL;
    ev->studies = items;
    evs_study *s = &ev->studies[ev->nstudies++];
    memset(s, 0, sizeof *s);
    s->parent = -1;
    s->n = NAN;
    s->design = s->population = s->comparator = s->setting = (size_t)-1;
    return s;
}

evs_obs *evs_evidence_add_obs(evs_evidence *ev)
{
    void *items = ev->obs;
    if (!reserve(&items, ev->nobs, &ev->obs_cap, sizeof *ev->obs))
        return NULL;
    ev->obs = items;
    evs_obs *o = &ev->obs[ev->nobs++];
    memset(o, 0, sizeof *o);
    for (int f = 0; f < EVS_OBS_FIELD_COUNT; f++)
        o->v[f] = NAN;
    o->weeks = NAN;
    return o;
}

long evs_evidence_find(const evs_evidence *ev, const char *id)
{
    for (size_t i = 0; i < ev->nstudies; i++)
        if (ev->studies[i].id != NULL && strcmp(ev->studies[i].id, id) == 0)
            return (long)i;
    return -1;
}

size_t evs_evidence_root(const evs_evidence *ev, size_t study)
{
    long p = ev->studies[study].parent;
    return p >= 0 ? (size_t)p : study;
}

/* ---------------------------------------------------------------------------
 * Vocabularies
 */

static const char *const arm_names[EVS_ARM_COUNT] = {"", "intervention", "control"};
static const char *const field_names[EVS_OBS_FIELD_COUNT] = {
    "n", "mean", "sd", "se", "ci_lb", "ci_ub", "median", "q1", "q3", "min", "max", "events",
    "percent",
};

static bool lookup(const char *const *names, int count, const char *name, int *out)
{
    for (int i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

const char *evs_arm_name(evs_arm a)
{
    return (unsigned)a < EVS_ARM_COUNT ? arm_names[a] : "?";
}

bool evs_arm_from_name(const char *name, evs_arm *a)
{
    int i;
    if (!lookup(arm_names, EVS_ARM_COUNT, name, &i))
        return false;
    *a = (evs_arm)i;
    return true;
}

const char *evs_obs_field_name(evs_obs_field f)
{
    return (unsigned)f < EVS_OBS_FIELD_COUNT ? field_names[f] : "?";
}

void evs_count_text(size_t n, const char *label, char *buf, size_t cap)
{
    size_t len = strlen(label);
    if (n == 1 || (len >= 6 && strcmp(label + len - 6, "series") == 0))
        snprintf(buf, cap, "%zu %s", n, label);
    else if (len >= 5 && strcmp(label + len - 5, "study") == 0)
        snprintf(buf, cap, "%zu %.*sstudies", n, (int)(len - 5), label);
    else
        snprintf(buf, cap, "%zu %ss", n, label);
}

/* One level's name, as in review.ini: 4 high ... 1 very_low; 0 if none. */
static int certainty_level(const char *s, size_t len)
{
    static const char *const names[] = {"very_low", "low", "moderate", "high"};
    for (int i = 0; i < 4; i++)
        if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0)
            return i + 1;
    return 0;
}

bool evs_published_certainty(const char *text, int *lo, int *hi)
{
    int a = 0, b = 0;
    const char *dash = strchr(text, '-');
    if (strcmp(text, "not_stated") == 0) {
        a = b = 0;
    } else if (dash == NULL) {
        a = b = certainty_level(text, strlen(text));
        if (a == 0)
            return false;
    } else {
        a = certainty_level(text, (size_t)(dash - text));
        b = certainty_level(dash + 1, strlen(dash + 1));
        if (a == 0 || b == 0 || a == b)
            return false;
    }
    if (lo != NULL)
        *lo = a < b ? a : b;
    if (hi != NULL)
        *hi = a < b ? b : a;
    return true;
}
