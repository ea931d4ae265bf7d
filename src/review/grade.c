/*
 * grade.c -- certainty of evidence by explicit rules (see grade.h).
 */
#include "review/grade.h"

#include <math.h>
#include <string.h>

static const char *const domain_names[EVS_GRADE_DOMAINS] = {
    "risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"};
static const char *const domain_labels[EVS_GRADE_DOMAINS] = {
    "Risk of bias", "Inconsistency", "Indirectness", "Imprecision", "Publication bias"};

const char *evs_grade_domain_name(evs_grade_domain d)
{
    return d < EVS_GRADE_DOMAINS ? domain_names[d] : "?";
}

const char *evs_grade_domain_label(evs_grade_domain d)
{
    return d < EVS_GRADE_DOMAINS ? domain_labels[d] : "?";
}

static const char *const certainty_names[] = {"very low", "low", "moderate", "high"};

const char *evs_certainty_name(evs_certainty c)
{
    return c >= EVS_CERTAINTY_VERY_LOW && c <= EVS_CERTAINTY_HIGH ? certainty_names[c - 1] : "?";
}

bool evs_certainty_from_name(const char *name, evs_certainty *c)
{
    static const char *const keys[] = {"very_low", "low", "moderate", "high"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, keys[i]) == 0 || strcmp(name, certainty_names[i]) == 0) {
            *c = (evs_certainty)(i + 1);
            return true;
        }
    return false;
}

const char *evs_certainty_symbols(evs_certainty c)
{
    switch (c) {
    case EVS_CERTAINTY_HIGH:
        return "\u2295\u2295\u2295\u2295";
    case EVS_CERTAINTY_MODERATE:
        return "\u2295\u2295\u2295\u25EF";
    case EVS_CERTAINTY_LOW:
        return "\u2295\u2295\u25EF\u25EF";
    default:
        return "\u2295\u25EF\u25EF\u25EF";
    }
}

void evs_grade_settings_default(evs_grade_settings *g)
{
    g->start_share = 50;
    g->rob_uncontrolled_share = 50;
    g->rob_retrospective_share = 50;
    g->i2_serious = 50;
    g->i2_very_serious = 75;
    g->direct_share = 50;
    g->ois = 400;
    g->egger_min_k = 10;
    g->egger_alpha = 0.10;
}

static double share(double part, double n)
{
    return n > 0 ? 100 * part / n : 0;
}

static bool crosses(double lb, double ub, double x)
{
    return !isnan(x) && !isnan(lb) && !isnan(ub) && lb < x && x < ub;
}

static void start_level(const evs_grade_input *in, const evs_grade_settings *s,
                        evs_grade_result *out)
{
    out->share_randomised = share(in->n_randomised, in->n);
    out->share_controlled = share(in->n_controlled, in->n);
    if (out->share_randomised >= s->start_share)
        out->start = EVS_CERTAINTY_HIGH;
    else if (out->share_controlled >= s->start_share)
        out->start = EVS_CERTAINTY_LOW;
    else
        out->start = EVS_CERTAINTY_VERY_LOW;
}

static void risk_of_bias(const evs_grade_input *in, const evs_grade_settings *s,
                         evs_grade_result *out)
{
    evs_grade_rating *r = &out->domain[EVS_GRADE_RISK_OF_BIAS];
    out->share_uncontrolled = share(in->n_uncontrolled, in->n);
    out->share_retrospective = share(in->n_retrospective, in->n);
    if (out->share_uncontrolled >= s->rob_uncontrolled_share) {
        r->levels++;
        r->why |= EVS_GRADE_ROB_UNCONTROLLED;
    }
    if (out->share_retrospective >= s->rob_retrospective_share) {
        r->levels++;
        r->why |= EVS_GRADE_ROB_RETROSPECTIVE;
    }
}

static void inconsistency(const evs_grade_input *in, const evs_grade_settings *s,
                          evs_grade_rating *r)
{
    bool spread = in->tau2 > 0;
    bool pi_null = spread && crosses(in->pi_lb, in->pi_ub, in->null_value);
    bool pi_mcid = spread && crosses(in->pi_lb, in->pi_ub, in->mcid);
    if (spread && !isnan(in->pi_lb))
        r->why |= EVS_GRADE_INC_SPREAD;
    if (in->I2 >= s->i2_very_serious && pi_null) {
        r->levels = 2;
        r->why |= EVS_GRADE_INC_I2_VERY | EVS_GRADE_INC_PI_NULL;
        return;
    }
    if (in->I2 >= s->i2_serious) {
        r->levels = 1;
        r->why |= EVS_GRADE_INC_I2;
    }
    if (pi_null || pi_mcid) {
        r->levels = 1;
        r->why |= (pi_null ? EVS_GRADE_INC_PI_NULL : 0u) | (pi_mcid ? EVS_GRADE_INC_PI_MCID : 0u);
    }
}

static void indirectness(const evs_grade_input *in, const evs_grade_settings *s,
                         evs_grade_result *out)
{
    evs_grade_rating *r = &out->domain[EVS_GRADE_INDIRECTNESS];
    if (in->kind == EVS_GRADE_COMPARISON) {
        out->share_direct = share(in->n_direct, in->n);
        if (out->share_direct < s->direct_share) {
            r->levels++;
            r->why |= EVS_GRADE_IND_FEW_DIRECT;
        }
    } else if (!in->harm) {
        r->levels++;
        r->why |= EVS_GRADE_IND_SINGLE_GROUP;
    }
    out->share_population = share(in->n_population, in->n);
    if (out->share_population < s->direct_share) {
        r->levels++;
        r->why |= EVS_GRADE_IND_POPULATION;
    }
}

static void imprecision(const evs_grade_input *in, evs_grade_rating *r)
{
    if (in->n < in->ois) {
        r->levels++;
        r->why |= EVS_GRADE_IMP_BELOW_OIS;
    }
    bool ci_null = crosses(in->ci_lb, in->ci_ub, in->null_value);
    bool ci_mcid = crosses(in->ci_lb, in->ci_ub, in->mcid);
    if (ci_null || ci_mcid) {
        r->levels++;
        r->why |= (ci_null ? EVS_GRADE_IMP_CI_NULL : 0u) | (ci_mcid ? EVS_GRADE_IMP_CI_MCID : 0u);
    }
}

static void publication_bias(const evs_grade_input *in, const evs_grade_settings *s,
                             evs_grade_rating *r)
{
    if ((double)in->k < s->egger_min_k || isnan(in->egger_p)) {
        r->assessable = false;
        r->why |= EVS_GRADE_PUB_NOT_ASSESSABLE;
        return;
    }
    if (in->egger_p < s->egger_alpha) {
        r->levels = 1;
        r->why |= EVS_GRADE_PUB_EGGER;
    }
}

void evs_grade_rate(const evs_grade_input *in, const evs_grade_settings *s,
                    const evs_grade_override *overrides, evs_grade_result *out)
{
    memset(out, 0, sizeof *out);
    out->in = *in;
    start_level(in, s, out);
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
        out->domain[d].assessable = true;
    risk_of_bias(in, s, out);
    inconsistency(in, s, &out->domain[EVS_GRADE_INCONSISTENCY]);
    indirectness(in, s, out);
    imprecision(in, &out->domain[EVS_GRADE_IMPRECISION]);
    publication_bias(in, s, &out->domain[EVS_GRADE_PUBLICATION_BIAS]);

    int total = 0;
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++) {
        evs_grade_rating *r = &out->domain[d];
        if (r->levels > 2)
            r->levels = 2;
        r->rule_levels = r->levels;
        if (overrides != NULL && overrides[d].levels >= 0) {
            r->overridden = true;
            r->assessable = true;
            r->levels = overrides[d].levels;
            r->override_reason = overrides[d].reason != NULL ? overrides[d].reason : "";
        }
        total += r->levels;
    }
    int level = (int)out->start - total;
    out->certainty = level < (int)EVS_CERTAINTY_VERY_LOW ? EVS_CERTAINTY_VERY_LOW
                                                         : (evs_certainty)level;
}
