#pragma once

#include "campaign/campaign_command.hpp"

#include <functional>

namespace popex {

/**
 * True if the campaign command asks for Slurm scripts (`--slurm` or `--submit`). Throws ConfigError if a Slurm
 * option (`--slurm-shards`, `--partition`, `--time-limit`) comes without them:
 * `--partition needs --slurm (or --submit)`.
 */
bool slurm_requested(const CampaignCommandOptions& options);

/**
 * `popex-sim campaign FILE --slurm`: checks every option, the campaign and (with `preflight`, if given) one run per
 * grid point, then writes OUT/slurm/array.sbatch, merge.sbatch and submit.sh (complete or absent) and prints their
 * paths and the one command that submits them. With `submit`, runs that command (sbatch) and prints the job ids.
 * Nothing is written if a check fails. Returns 0. Throws ConfigError on bad input (exit code 2), and if sbatch
 * refuses the jobs; OutputError if a script cannot be written.
 */
int run_slurm_command(const CampaignCommandOptions& options, const std::function<void(const RunSpec&)>& preflight);

} // namespace popex
