/* wr-usage-format.c — numbers, credits and ledger reasons in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <langinfo.h>
#include <string.h>

#include <glib/gi18n.h>

#include "wr-usage-format.h"
#include "workroom.h"

char *
wr_usage_format_count (gint64 value)
{
  const char *separator = nl_langinfo (THOUSEP);
  g_autofree char *digits = NULL;
  GString *out = g_string_new (NULL);
  guint64 magnitude;
  gsize len;

  if (separator == NULL || *separator == '\0')
    separator = ",";

  magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude);
  len = strlen (digits);

  if (value < 0)
    g_string_append_c (out, '-');
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

/* @value / @unit with at most one decimal, dropped when it is zero. */
static char *
format_scaled (gint64      value,
               gint64      unit,
               const char *suffix)
{
  gint64 tenths = (value * 10 + unit / 2) / unit;

  if (tenths % 10 == 0 || tenths >= 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT "%s", (tenths + 5) / 10, suffix);

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%d%s", tenths / 10, (int) (tenths % 10), suffix);
}

char *
wr_usage_format_short (gint64 value)
{
  if (value < 0)
    {
      g_autofree char *positive = wr_usage_format_short (-value);
      return g_strconcat ("-", positive, NULL);
    }

  if (value < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value);
  /* TRANSLATORS: suffix for thousands of tokens on a chart axis: "250k" */
  if (value < 999500)
    return format_scaled (value, 1000, C_("thousands", "k"));
  /* TRANSLATORS: suffix for millions of tokens on a chart axis: "1.5M" */
  if (value < G_GINT64_CONSTANT (999500000))
    return format_scaled (value, 1000000, C_("millions", "M"));
  /* TRANSLATORS: suffix for billions of tokens on a chart axis: "2B" */
  return format_scaled (value, 1000000000, C_("billions", "B"));
}

char *
wr_usage_format_credits (gint64 micros)
{
  g_autofree char *amount = wr_billing_format_credits (micros);

  /* TRANSLATORS: %s is an amount such as 12.50 */
  return g_strdup_printf (_("%s credits"), amount);
}

char *
wr_usage_describe_reason (const char *reason)
{
  g_autofree char *words = NULL;

  if (reason == NULL || *reason == '\0')
    return g_strdup (_("Other"));
  if (g_str_equal (reason, "topup"))
    return g_strdup (_("Top-up"));
  if (g_str_equal (reason, "welcome"))
    return g_strdup (_("Welcome credits"));
  if (g_str_equal (reason, "refund"))
    return g_strdup (_("Refund"));
  if (g_str_equal (reason, "charge"))
    return g_strdup (_("Extra charge"));
  if (g_str_equal (reason, "chat_usage"))
    return g_strdup (_("Chat reply"));

  /* Someone else's reason: "summary_usage" → "Summary usage". */
  words = g_strdelimit (g_strdup (reason), "_-", ' ');
  words[0] = g_ascii_toupper (words[0]);
  return g_steal_pointer (&words);
}

char *
wr_usage_describe_plan (WrPlan *plan)
{
  gint64 limit = wr_plan_get_daily_token_limit (plan);
  const char * const *patterns = wr_plan_get_model_patterns (plan);
  gboolean all_models = FALSE;
  g_autofree char *tokens = NULL;
  g_autofree char *models = NULL;
  const char *credits;

  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    if (g_str_equal (patterns[i], "*"))
      all_models = TRUE;

  if (limit < 0)
    tokens = g_strdup (_("No daily token limit"));
  else
    {
      g_autofree char *count = wr_usage_format_count (limit);

      /* TRANSLATORS: %s is a number of tokens, "10,000" */
      tokens = g_strdup_printf (_("%s tokens a day"), count);
    }

  if (all_models)
    models = g_strdup (_("all models"));
  else
    {
      g_autoptr(GString) names = g_string_new (NULL);

      /* "*-mini*" → "mini" */
      for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
        {
          g_autofree char *name = g_strdup (patterns[i]);

          g_strdelimit (name, "*", ' ');
          g_strstrip (name);
          if (*name == '-')
            memmove (name, name + 1, strlen (name));
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }
      /* TRANSLATORS: %s lists name parts: "mini, nano, flash" */
      models = g_strdup_printf (_("models named %s, and local ones"), names->str);
    }
  credits = wr_plan_get_charges_credits (plan) ? _("cloud replies use credits")
                                               : _("no credits needed");

  /* TRANSLATORS: a plan in one line: tokens · models · credits */
  return g_strdup_printf (_("%s · %s · %s"), tokens, models, credits);
}

char *
wr_usage_describe_reset (gint64 resets_at,
                         gint64 now)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (resets_at / G_USEC_PER_SEC);
  gint64 minutes = MAX ((resets_at - now + 59 * G_USEC_PER_SEC) / (60 * G_USEC_PER_SEC), 1);
  g_autofree char *in = NULL;
  g_autofree char *clock = NULL;

  if (minutes >= 60)
    {
      int hours = (int) ((minutes + 30) / 60);

      /* TRANSLATORS: how long until the daily limit resets */
      in = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", hours), hours);
    }
  else
    /* TRANSLATORS: how long until the daily limit resets */
    in = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", (int) minutes),
                          (int) minutes);

  if (g_date_time_get_hour (at) == 0 && g_date_time_get_minute (at) == 0)
    /* TRANSLATORS: %s is "in 5 hours" */
    return g_strdup_printf (_("at midnight, %s"), in);

  clock = g_date_time_format (at, "%H:%M");
  /* TRANSLATORS: %1$s is a time of day, %2$s "in 5 hours" */
  return g_strdup_printf (_("at %1$s, %2$s"), clock, in);
}

static const char *
feature_title (const char *feature)
{
  if (g_str_equal (feature, "humanize"))
    return _("Humanize");
  if (g_str_equal (feature, "knowledge"))
    return _("Knowledge");
  if (g_str_equal (feature, "tasks"))
    return _("Tasks");
  if (g_str_equal (feature, "operator"))
    return _("Operator");
  if (g_str_equal (feature, "connectors"))
    return _("Connectors");
  if (g_str_equal (feature, "datasets"))
    return _("Data sets");
  if (g_str_equal (feature, "teams"))
    return _("Teams");
  return feature;
}

char *
wr_usage_describe_features (WrPlan *plan)
{
  const char * const *features = wr_plan_get_features (plan);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; features != NULL && features[i] != NULL; i++)
    {
      if (list->len > 0)
        /* TRANSLATORS: separator in a list of features */
        g_string_append (list, _(", "));
      g_string_append (list, feature_title (features[i]));
    }

  /* TRANSLATORS: %s lists features: "Humanize, Knowledge" */
  return g_strdup_printf (_("Includes %s"), list->str);
}
