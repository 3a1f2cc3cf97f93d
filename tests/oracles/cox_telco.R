# Oracle for csat_analysis.survival.cox: survival::coxph (Efron ties), its concordance
# and cox.zph (Kaplan-Meier time transform) on the bundled telco_churn data.
# Run from the repository root: Rscript tests/oracles/cox_telco.R [output folder]
# Writes tests/oracles/cox_telco.json; the Python tests read only that.
suppressMessages(library(survival))
telco <- read.csv("data/raw/telco_churn.csv", stringsAsFactors = FALSE)
telco$event <- as.numeric(telco$churn == "Yes")
fit <- coxph(Surv(tenure, event) ~ monthly_charges + senior_citizen + contract + paperless_billing,
             data = telco, ties = "efron", control = coxph.control(eps = 1e-14, iter.max = 100, toler.chol = 1e-14))
zph <- cox.zph(fit)
conc <- concordance(fit)
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
lines <- c(
  "{",
  paste0('  "terms": ', str(names(coef(fit))), ","),
  paste0('  "coef": ', vec(coef(fit)), ","),
  paste0('  "se": ', vec(sqrt(diag(vcov(fit)))), ","),
  paste0('  "loglik": ', num(fit$loglik[2]), ","),
  paste0('  "concordance": ', num(conc$concordance), ","),
  paste0('  "concordant": ', num(conc$count[["concordant"]]), ","),
  paste0('  "discordant": ', num(conc$count[["discordant"]]), ","),
  paste0('  "tied_x": ', num(conc$count[["tied.x"]]), ","),
  paste0('  "zph_terms": ', str(rownames(zph$table)), ","),
  paste0('  "zph_statistic": ', vec(zph$table[, "chisq"]), ","),
  paste0('  "zph_dof": ', vec(zph$table[, "df"]), ","),
  paste0('  "zph_p_value": ', vec(zph$table[, "p"])),
  "}")
args <- commandArgs(trailingOnly = TRUE)
here <- if (length(args)) args[1] else "tests/oracles"  # the tests pass a scratch folder
writeLines(lines, file.path(here, "cox_telco.json"))
