# Oracle for csat_analysis.design.SurveyDesign.ranktest: R survey's svyranktest (Lumley and
# Scott 2013 design-based rank tests) under the designs of survey_chisq.R (plain weights,
# strata, clusters, fpc; each also raked, post-stratified and calibrated with calfun = "raking";
# and the unweighted simple random sample).
# Run from the repository root: Rscript tests/oracles/survey_ranktest.R [output folder]
# Reads tests/oracles/survey_sample.csv (written by survey_designs.R) and writes
# tests/oracles/survey_ranktest.csv; the Python tests read only those.
# With two groups R returns a t statistic (df = design df - 1, estimate = difference in mean
# rank score); with more, a Wald chi-square referred to F(groups - 1, design df - groups + 1).
suppressMessages(library(survey))  # calibrate(calfun = "raking") also needs MASS
options(digits = 17)
args <- commandArgs(trailingOnly = TRUE)
here <- if (length(args)) args[1] else "tests/oracles"  # the tests pass a scratch folder
sample <- read.csv("tests/oracles/survey_sample.csv", stringsAsFactors = FALSE)

shares <- list(gender = c(female = 0.52, male = 0.48),
               senior = c(senior = 0.22, younger = 0.78),
               internet_service = c(DSL = 0.30, "Fiber optic" = 0.50, No = 0.20))
total_w <- sum(sample$w)
margin <- function(name) {
  df <- data.frame(names(shares[[name]]), as.numeric(shares[[name]]) * total_w)
  names(df) <- c(name, "Freq")
  df
}
designs <- list(
  plain = svydesign(ids = ~1, weights = ~w, data = sample),
  strata = svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = sample),
  cluster = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = sample, nest = TRUE),
  cluster_fpc = svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = sample, nest = TRUE)
)
rake_margins <- c("gender", "senior", "internet_service")
totals <- c("(Intercept)" = total_w, gendermale = 0.48 * total_w, senioryounger = 0.78 * total_w,
            "internet_serviceFiber optic" = 0.50 * total_w, internet_serviceNo = 0.20 * total_w)
control <- list(maxit = 100, epsilon = 1e-12)
calibrated <- list()
for (name in names(designs)) {
  d <- designs[[name]]
  calibrated[[name]] <- d
  calibrated[[paste0(name, "+rake")]] <- rake(d, lapply(rake_margins, function(m) as.formula(paste0("~", m))),
                                             lapply(rake_margins, margin), control = control)
  calibrated[[paste0(name, "+post")]] <- postStratify(d, ~internet_service, margin("internet_service"))
  calibrated[[paste0(name, "+cal")]] <- calibrate(d, ~gender + senior + internet_service, totals,
                                                  calfun = "raking", epsilon = 1e-13, maxit = 200)
}
calibrated[["srs"]] <- suppressWarnings(svydesign(ids = ~1, data = sample))

# monthly_charges has missing values (rows left out); senior and churn have two groups
pairs <- list(c("monthly_charges", "contract"), c("tenure", "internet_service"), c("ltr", "senior"),
              c("ltr", "contract"), c("monthly_charges", "churn"))
tests <- c("KruskalWallis", "wilcoxon", "vanderWaerden", "median")
rows <- list()
for (name in names(calibrated)) {
  d <- calibrated[[name]]
  for (pair in pairs) {
    f <- as.formula(paste0(pair[1], "~", pair[2]))
    for (test in tests) {
      if (test != "KruskalWallis" && !(name %in% c("cluster_fpc+rake", "srs"))) next
      result <- svyranktest(f, d, test = test)
      two <- length(unique(na.omit(sample[, c(pair[1], pair[2])])[[pair[2]]])) == 2
      rows[[length(rows) + 1]] <- data.frame(
        design = name, column = pair[1], by = pair[2], test = test, groups = if (two) 2 else 0,
        # multiranktest stores the Wald chi-square in $parameter and the groups - 1 in $statistic
        t = if (two) sprintf("%.17g", unname(result$statistic)) else "",
        estimate = if (two) sprintf("%.17g", unname(result$estimate)) else "",
        wald = if (two) "" else sprintf("%.17g", unname(result$parameter)),
        ndf = if (two) "1" else sprintf("%.17g", unname(result$statistic)),
        ddf = sprintf("%.17g", if (two) unname(result$parameter) else result$ddf),
        p_value = sprintf("%.17g", result$p.value),
        stringsAsFactors = FALSE
      )
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, file.path(here, "survey_ranktest.csv"), row.names = FALSE)
cat("wrote", nrow(out), "rows\n")
