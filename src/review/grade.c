/*
 * grade.c -- certainty of evidence by explicit rules (see grade.h).
 */
#include "review/grade.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

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
    g->rob_critical_share = 50;
    g->rob_high_share = 50;
    g->rob_unclear_share = 50;
    g->i2_serious = 50;
    g->i2_very_serious = 75;
    g->direct_share = 50;
    /* GRADE guidelines 6: alpha 0.05, beta 0.2, and an RRR of 25% as a
     * plausible effect for a binary OIS. */
    g->ois_alpha = 0.05;
    g->ois_power = 0.8;
    g->ois_rrr = 25;
    g->ois_far_below = 50;
    g->egger_min_k = 10;
    g->egger_alpha = 0.10;
}

/* ---------------------------------------------------------------------------
 * Optimal information size (grade.h)
 */

static void ois_none(evs_ois *out, double alpha, double power)
{
    memset(out, 0, sizeof *out);
    out->basis = EVS_OIS_NONE;
    out->n = out->per_arm = out->sd = out->delta = out->p1 = out->p2 = NAN;
    out->alpha = alpha;
    out->power = power;
}

static bool ois_levels_ok(double alpha, double power)
{
    return alpha > 0 && alpha < 1 && power > 0 && power < 1;
}

void evs_grade_ois_means(double sd, double delta, bool two_groups, double alpha, double power,
                         evs_ois *out)
{
    ois_none(out, alpha, power);
    out->sd = sd;
    out->delta = delta;
    if (!(sd > 0) || !(delta > 0) || !isfinite(sd) || !ois_levels_ok(alpha, power))
        return;
    double z = gsl_cdf_ugaussian_Qinv(alpha / 2) + gsl_cdf_ugaussian_Pinv(power);
    double r = z * sd / delta;
    if (two_groups) {
        out->basis = EVS_OIS_MEANS_TWO;
        out->per_arm = ceil(2 * r * r);
        out->n = 2 * out->per_arm;
    } else {
        out->basis = EVS_OIS_MEAN_ONE;
        out->n = ceil(r * r);
    }
}

void evs_grade_ois_rates(double p1, double p2, bool two_groups, double alpha, double power,
                         evs_ois *out)
{
    ois_none(out, alpha, power);
    out->p1 = p1;
    out->p2 = p2;
    if (!(p1 > 0 && p1 < 1 && p2 > 0 && p2 < 1) || p1 == p2 || !ois_levels_ok(alpha, power))
        return;
    double za = gsl_cdf_ugaussian_Qinv(alpha / 2), zb = gsl_cdf_ugaussian_Pinv(power);
    double d = p1 - p2, num;
    if (two_groups) {
        double pbar = (p1 + p2) / 2;
        num = za * sqrt(2 * pbar * (1 - pbar)) + zb * sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        out->basis = EVS_OIS_RISKS_TWO;
        out->per_arm = ceil(num * num / (d * d));
        out->n = 2 * out->per_arm;
    } else {
        num = za * sqrt(p1 * (1 - p1)) + zb * sqrt(p2 * (1 - p2));
        out->basis = EVS_OIS_RATE_ONE;
        out->n = ceil(num * num / (d * d));
    }
}

static double share(double part, double n)
{
    return n > 0 ? 100 * part / n : 0;
}

static bool crosses(double lb, double ub, double x)
{
    return !isnan(x) && !isnan(lb) && !isnan(ub) && lb < x && x < ub;
}

/* A single-group benefit (before and after, or a response rate) uses no control group. */
static bool one_group_benefit(const evs_grade_input *in)
{
    return in->kind == EVS_GRADE_SINGLE_GROUP && !in->harm;
}

static void start_level(const evs_grade_input *in, const evs_grade_settings *s,
                        evs_grade_result *out)
{
    if (one_group_benefit(in)) {
        out->start = EVS_CERTAINTY_VERY_LOW;
        out->start_why = EVS_GRADE_START_ONE_GROUP;
        out->share_controlled = 0;
        return;
    }
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
    bool one = one_group_benefit(in);
    out->share_uncontrolled = one ? 100 : share(in->n_uncontrolled, in->n);
    out->share_retrospective = share(in->n_retrospective, in->n);
    if (out->share_uncontrolled >= s->rob_uncontrolled_share) {
        r->levels++;
        r->why |= EVS_GRADE_ROB_UNCONTROLLED;
    }
    if (out->share_retrospective >= s->rob_retrospective_share) {
        r->levels++;
        r->why |= EVS_GRADE_ROB_RETROSPECTIVE;
    }
    /* The appraisals: the rule on the weight shares (appraisal.h). */
    if (in->row_rob != NULL && in->row_weight != NULL)
        evs_rob_grade_rate(in->row_rob, in->row_weight, in->nrows, s->rob_critical_share,
                           s->rob_high_share, s->rob_unclear_share, &out->rob);
    memcpy(out->rob.domains, in->rob_domains, sizeof out->rob.domains);
    out->share_assessed = 100 - out->rob.share[EVS_ROB_LEVEL_NOT_ASSESSED];
    out->share_high = out->rob.share[EVS_ROB_LEVEL_HIGH] + out->rob.share[EVS_ROB_LEVEL_CRITICAL];
    if (!out->rob.applies) {
        out->share_assessed = out->share_high = 0;
        r->why |= EVS_GRADE_ROB_NOT_ASSESSED;
        return;
    }
    if (out->share_assessed < 100)
        r->why |= EVS_GRADE_ROB_PARTLY;
    r->levels += out->rob.levels;
    r->why |= (out->rob.why & EVS_ROB_GRADE_CRITICAL ? EVS_GRADE_ROB_CRITICAL : 0u) |
              (out->rob.why & EVS_ROB_GRADE_HIGH ? EVS_GRADE_ROB_HIGH : 0u) |
              (out->rob.why & EVS_ROB_GRADE_UNCLEAR ? EVS_GRADE_ROB_UNCLEAR : 0u);
}

static void inconsistency(const evs_grade_input *in, const evs_grade_settings *s,
                          evs_grade_rating *r)
{
    if (in->k == 1) {
        /* One study: no results to be inconsistent with (grade.h). */
        r->assessable = false;
        r->why |= EVS_GRADE_INC_ONE_STUDY;
        return;
    }
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

/* The thresholds of the decision scale (grade.h): -MCID and +MCID, or a rate's one. */
static void thresholds(const evs_grade_input *in, evs_grade_result *out)
{
    if (in->kind == EVS_GRADE_SINGLE_GROUP && in->binary) {
        out->lower = NAN;
        out->upper = in->mcid;
    } else {
        out->lower = in->mcid > 0 ? -in->mcid : (double)NAN; /* MCID 0: one threshold, no effect */
        out->upper = in->mcid;
    }
}

/* Where the point estimate lies (GRADE 32: the target of the rating). */
static evs_effect_class effect_class(const evs_grade_input *in, const evs_grade_result *out)
{
    if (in->kind == EVS_GRADE_SINGLE_GROUP && in->binary)
        return in->estimate >= out->upper ? EVS_EFFECT_ABOVE : EVS_EFFECT_BELOW;
    if (in->estimate >= out->upper && in->estimate > 0)
        return EVS_EFFECT_BENEFIT;
    if (in->estimate <= -in->mcid && in->estimate < 0)
        return EVS_EFFECT_HARM;
    return EVS_EFFECT_TRIVIAL;
}

static void imprecision(const evs_grade_input *in, const evs_grade_settings *s,
                        evs_grade_result *out)
{
    evs_grade_rating *r = &out->domain[EVS_GRADE_IMPRECISION];
    int ci = 0, ois = 0;
    if (crosses(in->ci_lb, in->ci_ub, out->upper)) {
        ci++;
        r->why |= EVS_GRADE_IMP_UPPER;
    }
    if (crosses(in->ci_lb, in->ci_ub, out->lower)) {
        ci++;
        r->why |= EVS_GRADE_IMP_LOWER;
    }
    if (in->ois.basis == EVS_OIS_NONE || isnan(in->ois.n)) {
        r->why |= EVS_GRADE_IMP_NO_OIS;
    } else if (in->n < in->ois.n) {
        ois = 1;
        r->why |= EVS_GRADE_IMP_BELOW_OIS;
        if (in->n < in->ois.n * s->ois_far_below / 100) {
            ois = 2;
            r->why |= EVS_GRADE_IMP_FAR_BELOW_OIS;
        }
    }
    r->levels = ci > ois ? ci : ois;
    /* GRADE 34 (Zeng et al. 2022, J Clin Epidemiol 150:216-224): a CI that
     * crosses a decision threshold calls for rating down two or three
     * levels, and an information size far below the OIS for more than one;
     * both together are extremely serious: three (GRADE 35's "very few
     * events and very wide confidence intervals"). */
    if (ci >= 1 && ois == 2) {
        r->levels = 3;
        r->why |= EVS_GRADE_IMP_EXTREME;
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
    out->in.row_rob = NULL; /* the caller's arrays need not outlive the result */
    out->in.row_weight = NULL;
    start_level(in, s, out);
    thresholds(in, out);
    out->effect = effect_class(in, out);
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
        out->domain[d].assessable = true;
    risk_of_bias(in, s, out);
    inconsistency(in, s, &out->domain[EVS_GRADE_INCONSISTENCY]);
    indirectness(in, s, out);
    imprecision(in, s, out);
    publication_bias(in, s, &out->domain[EVS_GRADE_PUBLICATION_BIAS]);

    int total = 0;
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++) {
        evs_grade_rating *r = &out->domain[d];
        int most = d == EVS_GRADE_IMPRECISION ? 3 : 2; /* GRADE 34: imprecision up to 3 */
        if (r->levels > most)
            r->levels = most;
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
