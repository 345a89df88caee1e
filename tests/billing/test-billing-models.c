/* test-billing-models.c — what the model catalogue asks of billing: the
 * price row that applies to a model, a price table snapshot that picks
 * exactly as wr_billing_cost_micros does, and the user's capabilities per
 * pattern, which never change a price.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "billing-test-util.h"

#define M G_GINT64_CONSTANT (1000000)

static const WrModelPrice *
find_row (GPtrArray  *prices,
          const char *pattern)
{
  for (guint i = 0; i < prices->len; i++)
    {
      const WrModelPrice *price = g_ptr_array_index (prices, i);

      if (g_str_equal (price->pattern, pattern))
        return price;
    }
  return NULL;
}

static gint64
cost (WrBilling  *billing,
      const char *model)
{
  g_autoptr(GError) error = NULL;
  gint64 micros = wr_billing_cost_micros (billing, model, M, M, &error);

  g_assert_no_error (error);
  return micros;
}

static void
test_model_price (BillingFixture *fixture,
                  gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrModelPrice) mini = NULL;
  g_autoptr(WrModelPrice) flash = NULL;
  g_autoptr(WrModelPrice) unknown = NULL;
  g_autoptr(WrModelPrice) custom = NULL;

  mini = wr_billing_get_model_price (fixture->billing, "GPT-4o-mini-2024-07-18", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mini->pattern, ==, "gpt-4o-mini*");
  g_assert_cmpint (mini->input_micros_per_mtok, ==, 150000);
  g_assert_cmpint (mini->output_micros_per_mtok, ==, 600000);
  g_assert_false (mini->custom);

  /* Gemini's "models/" prefix: the base name matches. */
  flash = wr_billing_get_model_price (fixture->billing, "models/gemini-1.5-flash", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (flash->pattern, ==, "gemini-1.5-flash*");

  unknown = wr_billing_get_model_price (fixture->billing, "some-new-model", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (unknown->pattern, ==, "*");

  /* The user's row with the same pattern replaces the built-in one. */
  g_assert_true (wr_billing_set_price (fixture->billing, "gpt-4o-mini*", 1, 2, &error));
  g_assert_no_error (error);
  custom = wr_billing_get_model_price (fixture->billing, "gpt-4o-mini", &error);
  g_assert_no_error (error);
  g_assert_true (custom->custom);
  g_assert_cmpint (custom->input_micros_per_mtok, ==, 1);
  g_assert_cmpint (custom->output_micros_per_mtok, ==, 2);
}

/* The table snapshot prices every name as cost_micros does, the user's
 * rows included. */
static void
test_table_agrees_with_cost (BillingFixture *fixture,
                             gconstpointer   data)
{
  static const char *names[] = {
    "gpt-4o", "gpt-4o-mini", "gpt-4.1-nano-x", "o1", "o1-mini", "o3-mini-high",
    "claude-3-haiku-20240307", "claude-3-5-haiku", "claude-opus-4-1", "claude-sonnet-4",
    "gemini-1.5-flash-lite", "gemini-2.5-flash", "gemini-2.0-flash-lite", "models/gemini-2.5-pro",
    "mistral-large-latest", "llama3", "", "qwen2.5-vl", "my-model",
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (wr_billing_set_price (fixture->billing, "*llama*", 7 * M, 9 * M, &error));
  g_assert_true (wr_billing_set_price (fixture->billing, "claude*haiku*", 3 * M, 3 * M, &error));
  g_assert_no_error (error);

  {
    g_autoptr(WrPriceTable) table = wr_billing_load_price_table (fixture->billing, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        const WrModelPrice *price = wr_price_table_match (table, names[i]);
        gint64 expected = cost (fixture->billing, names[i]);

        g_assert_nonnull (price);
        g_test_message ("%s → %s", names[i], price->pattern);
        g_assert_cmpint (price->input_micros_per_mtok + price->output_micros_per_mtok, ==, expected);
      }
    g_assert_cmpstr (wr_price_table_match (table, "llama3")->pattern, ==, "*llama*");
    g_assert_null (wr_price_table_match_capabilities (table, "llama3"));
  }
}

static void
test_normalize (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = wr_billing_normalize_capabilities (" Vision, chat ,vision", &error);
  g_autofree char *b = wr_billing_normalize_capabilities ("embeddings", &error);
  g_autofree char *c = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "chat,vision");
  g_assert_cmpstr (b, ==, "embeddings");

  c = wr_billing_normalize_capabilities ("chat,telepathy", &error);
  g_assert_null (c);
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "telepathy"));
  g_clear_error (&error);

  g_assert_null (wr_billing_normalize_capabilities (" , ", &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
}

static void
test_capabilities_keep_price (BillingFixture *fixture,
                              gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  gint64 mini_before = cost (fixture->billing, "gpt-4o-mini");
  gint64 llava_before = cost (fixture->billing, "llava-13b");
  const WrModelPrice *row;

  /* A pattern with a built-in price, and one with none of its own. */
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "GPT-4o-mini*", "vision,chat", &error));
  g_assert_no_error (error);
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "llava*", "chat", &error));
  g_assert_no_error (error);
  g_assert_false (wr_billing_set_capabilities (fixture->billing, "x*", "smell", &error));
  g_assert_error (error, WR_BILLING_ERROR, WR_BILLING_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (cost (fixture->billing, "gpt-4o-mini"), ==, mini_before);
  g_assert_cmpint (cost (fixture->billing, "llava-13b"), ==, llava_before);

  prices = wr_billing_list_prices (fixture->billing, &error);
  g_assert_no_error (error);
  row = find_row (prices, "gpt-4o-mini*");
  g_assert_nonnull (row);
  g_assert_cmpstr (row->capabilities, ==, "chat,vision");
  g_assert_cmpint (row->input_micros_per_mtok, ==, 150000);
  row = find_row (prices, "llava*");
  g_assert_nonnull (row);
  g_assert_cmpstr (row->capabilities, ==, "chat");
  g_assert_null (find_row (prices, "x*"));

  /* Changing them again keeps a price the user set meanwhile. */
  g_assert_true (wr_billing_set_price (fixture->billing, "llava*", 5, 6, &error));
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "llava*", "chat,vision", &error));
  g_assert_no_error (error);
  {
    g_autoptr(WrModelPrice) llava = wr_billing_get_model_price (fixture->billing, "llava-13b", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (llava->pattern, ==, "llava*");
    g_assert_cmpint (llava->input_micros_per_mtok, ==, 5);
    g_assert_cmpstr (llava->capabilities, ==, "chat,vision");
  }
}

static void
test_capabilities_match (BillingFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WrPriceTable) table = NULL;

  g_assert_true (wr_billing_set_capabilities (fixture->billing, "qwen*", "chat", &error));
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "qwen*-vl*", "chat,vision", &error));
  /* A more specific price row without capabilities does not hide them. */
  g_assert_true (wr_billing_set_price (fixture->billing, "qwen2.5-vl-7b*", 1, 1, &error));
  g_assert_no_error (error);

  table = wr_billing_load_price_table (fixture->billing, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wr_price_table_match_capabilities (table, "qwen2.5-vl-7b")->capabilities, ==, "chat,vision");
  g_assert_cmpstr (wr_price_table_match_capabilities (table, "library/qwen3")->capabilities, ==, "chat");
  g_assert_null (wr_price_table_match_capabilities (table, "gpt-4o"));
  g_assert_cmpstr (wr_price_table_match (table, "qwen2.5-vl-7b")->pattern, ==, "qwen2.5-vl-7b*");
}

static void
test_capabilities_reset (BillingFixture *fixture,
                         gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  const WrModelPrice *row;

  /* A row made only for capabilities goes away with them. */
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "gpt-4o*", "chat", &error));
  g_assert_true (wr_billing_reset_capabilities (fixture->billing, "gpt-4o*", &error));
  g_assert_no_error (error);
  prices = wr_billing_list_prices (fixture->billing, &error);
  g_assert_no_error (error);
  row = find_row (prices, "gpt-4o*");
  g_assert_nonnull (row);
  g_assert_false (row->custom);
  g_assert_null (row->capabilities);
  g_clear_pointer (&prices, g_ptr_array_unref);

  /* A user's price stays when the capabilities go. */
  g_assert_true (wr_billing_set_price (fixture->billing, "mymodel*", 11, 12, &error));
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "mymodel*", "embeddings", &error));
  g_assert_true (wr_billing_reset_capabilities (fixture->billing, "mymodel*", &error));
  g_assert_no_error (error);
  prices = wr_billing_list_prices (fixture->billing, &error);
  row = find_row (prices, "mymodel*");
  g_assert_nonnull (row);
  g_assert_true (row->custom);
  g_assert_cmpint (row->input_micros_per_mtok, ==, 11);
  g_assert_null (row->capabilities);
  g_clear_pointer (&prices, g_ptr_array_unref);

  /* Resetting the price of a row with capabilities keeps them, at the
   * price that applies without the row. */
  g_assert_true (wr_billing_set_capabilities (fixture->billing, "mymodel*", "chat,vision", &error));
  g_assert_true (wr_billing_reset_price (fixture->billing, "mymodel*", &error));
  g_assert_no_error (error);
  prices = wr_billing_list_prices (fixture->billing, &error);
  row = find_row (prices, "mymodel*");
  g_assert_nonnull (row);
  g_assert_cmpstr (row->capabilities, ==, "chat,vision");
  g_assert_cmpint (row->input_micros_per_mtok, ==, 2500000);
  g_assert_cmpint (row->output_micros_per_mtok, ==, 10000000);
  g_assert_cmpint (cost (fixture->billing, "mymodel-1"), ==, cost (fixture->billing, "unlisted"));
  g_clear_pointer (&prices, g_ptr_array_unref);

  /* Resetting capabilities of a plain price row changes nothing. */
  g_assert_true (wr_billing_set_price (fixture->billing, "plain*", 2500000, 10000000, &error));
  g_assert_true (wr_billing_reset_capabilities (fixture->billing, "plain*", &error));
  g_assert_no_error (error);
  prices = wr_billing_list_prices (fixture->billing, &error);
  g_assert_nonnull (find_row (prices, "plain*"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/billing/models/model-price", BillingFixture, NULL,
              billing_fixture_setup, test_model_price, billing_fixture_teardown);
  g_test_add ("/billing/models/table-agrees-with-cost", BillingFixture, NULL,
              billing_fixture_setup, test_table_agrees_with_cost, billing_fixture_teardown);
  g_test_add_func ("/billing/models/capabilities-normalize", test_normalize);
  g_test_add ("/billing/models/capabilities-keep-price", BillingFixture, NULL,
              billing_fixture_setup, test_capabilities_keep_price, billing_fixture_teardown);
  g_test_add ("/billing/models/capabilities-match", BillingFixture, NULL,
              billing_fixture_setup, test_capabilities_match, billing_fixture_teardown);
  g_test_add ("/billing/models/capabilities-reset", BillingFixture, NULL,
              billing_fixture_setup, test_capabilities_reset, billing_fixture_teardown);

  return g_test_run ();
}
