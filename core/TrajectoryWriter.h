#pragma once
// The trajectory CSV of the headless command line (and later the window's export):
//   run,step,epoch,theta0,theta1,loss,batch_loss,grad0,grad1,lr
// one row per update, step 0 the start point. Numbers have 17 significant digits, so they read back
// bit-exact. A value that is not finite (a diverged run's last row) is written as an empty field,
// never as "nan" or "inf" that could be mistaken for data.

#include "Run.h"

#include <ostream>
#include <string>
#include <vector>

namespace gdviz {

/// The optimizer-state columns (--optimizer-state) after the trajectory's: every quantity of a rule's state
/// (optimizerInfo().state) that any of the runs keeps, once each (momentum_buffer is SGD's and RMSprop's), in
/// the order of the optimizer table; a per-parameter quantity as two columns "<name>0", "<name>1", a scalar as one
/// ("mu_product"). Empty when no run keeps any state (plain SGD).
struct StateColumns {
    struct Quantity {
        std::string name; // torch's
        bool scalar = false;
    };
    std::vector<Quantity> quantities;
};
StateColumns stateColumnsFor(const std::vector<RunSettings> &runs);

class TrajectoryCsvWriter {
public:
    /// state: the optimizer-state columns written after the trajectory's (none by default).
    explicit TrajectoryCsvWriter(std::ostream &out, StateColumns state = {});

    static const char *header(); // without the newline; the trajectory's columns only
    void writeHeader();
    /// A row; its state columns, if any, empty.
    void writeRow(const std::string &runName, const StepRecord &record);
    /// A row with the state the run's rule holds after the record's update (step 0: before the first): each state
    /// column the rule holds filled (heldIn()), the others empty (another rule's, or SGD's buffer before it is made).
    void writeRow(const std::string &runName, const StepRecord &record, const OptimizerSettings &optimizer,
                  const OptimizerState &state);

private:
    void field(double value);
    void writeTrajectoryFields(const std::string &runName, const StepRecord &record);
    std::ostream &m_out;
    StateColumns m_state;
};

/// A run name as a CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csvField(const std::string &text);

/// The number with 17 significant digits ("%.17g"); empty when not finite.
std::string exactNumber(double value);

} // namespace gdviz
