#pragma once
// A formula in x and y typed by the user, compiled once and evaluated with its exact gradient
// (forward-mode automatic differentiation over a flat instruction tape).

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gdviz {

/// The longest formula parse() accepts, in characters (characterCount(), MessageText.h): enough for any formula
/// a lesson writes, and small enough that the costliest one still fills a 512 x 512 surface in well under a
/// second (README "Limits" gives the measurement).
inline constexpr std::size_t maxFormulaCharacters = 500;

/// Where and why a formula was rejected. position is a 0-based byte offset into the UTF-8 text (the
/// character offset for ASCII); messages name positions 1-based, as people count.
struct ExpressionError {
    std::size_t position = 0;
    std::string message; // e.g. "unknown name 'sn'", "expected ')'"
};

class Expression {
public:
    /// Parses text. On failure returns std::nullopt and fills *error (error may be null).
    static std::optional<Expression> parse(std::string_view text, ExpressionError *error);

    Expression(const Expression &);
    Expression &operator=(const Expression &);
    Expression(Expression &&) noexcept;
    Expression &operator=(Expression &&) noexcept;
    ~Expression();

    const std::string &text() const;

    /// f(x, y); dfdx and dfdy may be null. Non-finite results are returned as they are (log(-1) is NaN).
    double evaluate(double x, double y, double *dfdx = nullptr, double *dfdy = nullptr) const;

    /// f and its first and second partial derivatives at one point.
    struct SecondOrder {
        double value = 0;
        double dx = 0, dy = 0; // the gradient
        double dxx = 0, dxy = 0, dyy = 0; // the Hessian (symmetric: dyx = dxy)
    };
    /// f(x, y) with its exact gradient and Hessian, by second-order forward-mode automatic differentiation: a pass
    /// of its own over the tape (evaluate() stays first order, as fast as before). value is evaluate()'s to the
    /// bit, and so are dx and dy. The Hessian is NaN wherever f is not finite (log(x) at x <= 0, 1/x at 0), and
    /// not finite where a second derivative is not (sqrt(x) at x = 0 in x).
    SecondOrder evaluateSecondOrder(double x, double y) const;

    /// out[i] = f(xs[i], ys[i]) for every i, values only; xs, ys and out have the same size.
    void evaluateMany(std::span<const double> xs, std::span<const double> ys, std::span<double> out) const;

private:
    struct Program;
    explicit Expression(std::unique_ptr<Program> program);
    std::unique_ptr<Program> m_program;
};

} // namespace gdviz
