#include "Expression.h"
#include "MessageText.h"

// Design: a recursive-descent parser emits a postfix tape, folding constants on the way. evaluate() runs the
// tape once on a stack of dual numbers (a value and both partials: forward-mode automatic differentiation);
// evaluateMany() runs it on blocks of points, so that every instruction is a tight loop. Both compute each value
// with the same C++ operator or std:: function, so they agree bit for bit; constants are folded by evaluate()'s
// own code, so folding never changes a result either.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <numbers>
#include <vector>

namespace gdviz {

namespace {

enum class Op : std::uint8_t {
    PushX, PushY, PushConst,           // operands
    Add, Sub, Mul, Div, Pow,           // two operands
    PowConst,                          // one operand and a constant exponent k: a^k
    Neg, Sin, Cos, Tan, Exp, Log, Sqrt, Abs, Tanh
};

struct Instruction {
    Op op;
    double k = 0; // PushConst: the constant; PowConst: the exponent
};

constexpr std::array<std::pair<std::string_view, Op>, 8> kFunctions{{{"sin", Op::Sin}, {"cos", Op::Cos},
    {"tan", Op::Tan}, {"exp", Op::Exp}, {"log", Op::Log}, {"sqrt", Op::Sqrt}, {"abs", Op::Abs}, {"tanh", Op::Tanh}}};

constexpr int kMaxNesting = 200;    // levels of parentheses, signs and powers; bounds the parser's recursion
constexpr std::size_t kBlock = 256; // points per block in evaluateMany()

bool isPush(Op op) { return op <= Op::PushConst; }
bool isBinary(Op op) { return op >= Op::Add && op <= Op::Pow; }

// ------------------------------------------------------------------------------------------------- evaluation
struct Dual {
    double v, dx, dy; // the value and its partial derivatives with respect to x and y
};

// Chain rule for one argument, f(a)' = f'(a) a', on each partial. A zero partial stays zero even where f'(a) is
// infinite or NaN: sqrt(x) at x = 0 has d/dy = 0, not inf*0 = NaN.
template <class Derivative>
void chain(Dual &a, Derivative derivative)
{
    if (a.dx != 0)
        a.dx = derivative(a.dx);
    if (a.dy != 0)
        a.dy = derivative(a.dy);
}

// Runs the tape on stack (at least the tape's maximum depth of slots) and returns the final top.
Dual run(std::span<const Instruction> code, double x, double y, Dual *stack)
{
    std::size_t depth = 0;
    for (const Instruction &in : code) {
        if (isPush(in.op)) {
            stack[depth++] = in.op == Op::PushX ? Dual{x, 1, 0} : in.op == Op::PushY ? Dual{y, 0, 1} : Dual{in.k, 0, 0};
            continue;
        }
        const bool binary = isBinary(in.op);
        depth -= binary;
        Dual &a = stack[depth - 1];
        const Dual b = binary ? stack[depth] : Dual{0, 0, 0}; // the right operand
        const double a0 = a.v;
        // Mul, Div, Pow: a partial that is zero in both operands stays zero (x/x at 0 has d/dy = 0, not NaN).
        auto both = [&](auto rule) {
            a.dx = a.dx == 0 && b.dx == 0 ? 0.0 : rule(a.dx, b.dx);
            a.dy = a.dy == 0 && b.dy == 0 ? 0.0 : rule(a.dy, b.dy);
        };
        switch (in.op) {
        case Op::Add: a = {a0 + b.v, a.dx + b.dx, a.dy + b.dy}; break;
        case Op::Sub: a = {a0 - b.v, a.dx - b.dx, a.dy - b.dy}; break;
        case Op::Mul: // (ab)' = a'b + ab'
            a.v = a0 * b.v;
            both([&](double da, double db) { return da * b.v + a0 * db; });
            break;
        case Op::Div: // (a/b)' = (a' - (a/b) b') / b
            a.v = a0 / b.v;
            both([&](double da, double db) { return (da - a.v * db) / b.v; });
            break;
        case Op::Pow: // (a^b)' = a^b (b' log a + b a'/a), a term dropped when its partial is zero
            a.v = std::pow(a0, b.v);
            both([&](double da, double db) {
                return a.v * ((db != 0 ? db * std::log(a0) : 0.0) + (da != 0 ? b.v * da / a0 : 0.0));
            });
            break;
        case Op::PowConst: { // (a^k)' = k a^(k-1) a': no log(a), so x^2 at 0 and (-2)^2 are fine; (a^0)' = 0
            // a^2 is a*a: the correctly rounded square (std::pow may be 1 ulp off it), what compilers make of
            // std::pow(a, 2.0) anyway, and what keeps squared terms fast in evaluateMany().
            const double k = in.k;
            a.v = k == 2 ? a0 * a0 : std::pow(a0, k);
            const double factor = k == 0 ? 0.0 : k == 2 ? 2 * a0 : k * std::pow(a0, k - 1);
            chain(a, [&](double d) { return factor * d; });
            break;
        }
        case Op::Neg: a = {-a0, -a.dx, -a.dy}; break;
        case Op::Sin: a.v = std::sin(a0); chain(a, [&](double d) { return std::cos(a0) * d; }); break;
        case Op::Cos: a.v = std::cos(a0); chain(a, [&](double d) { return -std::sin(a0) * d; }); break;
        case Op::Tan: { // tan' = 1/cos^2
            a.v = std::tan(a0);
            const double c = std::cos(a0);
            chain(a, [&](double d) { return d / (c * c); });
            break;
        }
        case Op::Exp: a.v = std::exp(a0); chain(a, [&](double d) { return a.v * d; }); break;
        case Op::Log: a.v = std::log(a0); chain(a, [&](double d) { return d / a0; }); break;
        case Op::Sqrt: a.v = std::sqrt(a0); chain(a, [&](double d) { return d / (2 * a.v); }); break;
        case Op::Abs: { // |a|' = sign(a) a', 0 at a = 0
            a.v = std::abs(a0);
            const double sign = (a0 > 0) - (a0 < 0);
            chain(a, [&](double d) { return sign * d; });
            break;
        }
        case Op::Tanh: a.v = std::tanh(a0); chain(a, [&](double d) { return (1 - a.v * a.v) * d; }); break;
        case Op::PushX: case Op::PushY: case Op::PushConst: break;
        }
    }
    return stack[0];
}

// Second order: a value, its gradient and its Hessian (xx, xy, yy) per slot, for evaluateSecondOrder() alone, so
// that run() above stays as lean as it was. Values and gradients use run()'s own expressions, so they agree with
// evaluate(); the Hessian follows the same rule that a zero factor keeps its term zero (no inf*0 = NaN from a
// term that does not depend on x or y).
struct Jet {
    double v, dx, dy;
    double xx, xy, yy;
};

// u*v, 0 when either is 0 (even when the other is infinite or NaN).
double product(double u, double v)
{
    return u == 0 || v == 0 ? 0.0 : u * v;
}

// f(a) for a function of one argument with f' = d1 and f'' = d2 at a.v: the Hessian is d1 H + d2 g g^T; the
// gradient is derivative(partial), run()'s own chain rule.
template <class Derivative>
void chainSecondOrder(Jet &a, double d1, double d2, Derivative derivative)
{
    const double gx = a.dx, gy = a.dy;
    a.xx = product(d1, a.xx) + product(d2, product(gx, gx));
    a.xy = product(d1, a.xy) + product(d2, product(gx, gy));
    a.yy = product(d1, a.yy) + product(d2, product(gy, gy));
    if (gx != 0)
        a.dx = derivative(gx);
    if (gy != 0)
        a.dy = derivative(gy);
}

// a * b into a, gradients and Hessians included: H = a H_b + b H_a + g_a g_b^T + g_b g_a^T.
void multiplyInto(Jet &a, const Jet &b)
{
    const Jet x = a;
    a.v = x.v * b.v;
    a.dx = x.dx == 0 && b.dx == 0 ? 0.0 : x.dx * b.v + x.v * b.dx;
    a.dy = x.dy == 0 && b.dy == 0 ? 0.0 : x.dy * b.v + x.v * b.dy;
    a.xx = product(x.v, b.xx) + product(b.v, x.xx) + 2 * product(x.dx, b.dx);
    a.xy = product(x.v, b.xy) + product(b.v, x.xy) + product(x.dx, b.dy) + product(b.dx, x.dy);
    a.yy = product(x.v, b.yy) + product(b.v, x.yy) + 2 * product(x.dy, b.dy);
}

Jet runSecondOrder(std::span<const Instruction> code, double x, double y, Jet *stack)
{
    std::size_t depth = 0;
    for (const Instruction &in : code) {
        if (isPush(in.op)) {
            stack[depth++] = in.op == Op::PushX ? Jet{x, 1, 0, 0, 0, 0}
                           : in.op == Op::PushY ? Jet{y, 0, 1, 0, 0, 0}
                                                : Jet{in.k, 0, 0, 0, 0, 0};
            continue;
        }
        const bool binary = isBinary(in.op);
        depth -= binary;
        Jet &a = stack[depth - 1];
        const Jet b = binary ? stack[depth] : Jet{0, 0, 0, 0, 0, 0};
        const double a0 = a.v;
        switch (in.op) {
        case Op::Add: a = {a0 + b.v, a.dx + b.dx, a.dy + b.dy, a.xx + b.xx, a.xy + b.xy, a.yy + b.yy}; break;
        case Op::Sub: a = {a0 - b.v, a.dx - b.dx, a.dy - b.dy, a.xx - b.xx, a.xy - b.xy, a.yy - b.yy}; break;
        case Op::Mul: multiplyInto(a, b); break;
        case Op::Div: { // q = a/b: g_q = (g_a - q g_b) / b, H_q = (H_a - q H_b - g_q g_b^T - g_b g_q^T) / b
            const Jet n = a;
            const double q = a0 / b.v;
            a.v = q;
            a.dx = n.dx == 0 && b.dx == 0 ? 0.0 : (n.dx - q * b.dx) / b.v;
            a.dy = n.dy == 0 && b.dy == 0 ? 0.0 : (n.dy - q * b.dy) / b.v;
            const auto quotient = [&](double numerator) { return numerator == 0 ? 0.0 : numerator / b.v; };
            a.xx = quotient(n.xx - product(q, b.xx) - 2 * product(a.dx, b.dx));
            a.xy = quotient(n.xy - product(q, b.xy) - product(a.dx, b.dy) - product(b.dx, a.dy));
            a.yy = quotient(n.yy - product(q, b.yy) - 2 * product(a.dy, b.dy));
            break;
        }
        case Op::Pow: {
            // a^b = exp(P), P = b log a: g = v g_P, H = v (H_P + g_P g_P^T), with g_P = b g_a / a + log(a) g_b and
            // H_P = b H_L + log(a) H_b + g_b g_L^T + g_L g_b^T, L = log a (g_L = g_a / a, H_L = H_a / a - g_a g_a^T / a^2).
            // Terms with a zero factor vanish, so a constant b gives the power rule without log(a) (a < 0 is fine)
            // and a constant a the exponential one.
            const double v = std::pow(a0, b.v);
            const double logA = (b.dx != 0 || b.dy != 0 || b.xx != 0 || b.xy != 0 || b.yy != 0) ? std::log(a0) : 0.0;
            const double lx = a.dx == 0 ? 0.0 : a.dx / a0, ly = a.dy == 0 ? 0.0 : a.dy / a0; // g_L
            const double lxx = (a.xx == 0 ? 0.0 : a.xx / a0) - product(lx, lx);
            const double lxy = (a.xy == 0 ? 0.0 : a.xy / a0) - product(lx, ly);
            const double lyy = (a.yy == 0 ? 0.0 : a.yy / a0) - product(ly, ly);
            const double px = product(b.v, lx) + product(logA, b.dx), py = product(b.v, ly) + product(logA, b.dy);
            const double pxx = product(b.v, lxx) + product(logA, b.xx) + 2 * product(b.dx, lx);
            const double pxy = product(b.v, lxy) + product(logA, b.xy) + product(b.dx, ly) + product(lx, b.dy);
            const double pyy = product(b.v, lyy) + product(logA, b.yy) + 2 * product(b.dy, ly);
            const auto gradient = [&](double da, double db) {
                return da == 0 && db == 0 ? 0.0
                                          : v * ((db != 0 ? db * std::log(a0) : 0.0) + (da != 0 ? b.v * da / a0 : 0.0));
            };
            a = {v, gradient(a.dx, b.dx), gradient(a.dy, b.dy), product(v, pxx + product(px, px)),
                 product(v, pxy + product(px, py)), product(v, pyy + product(py, py))};
            break;
        }
        case Op::PowConst: { // d/da a^k = k a^(k-1), d2/da2 = k (k-1) a^(k-2): 0 for k = 0 and k = 1, 2 for k = 2
            const double k = in.k;
            a.v = k == 2 ? a0 * a0 : std::pow(a0, k);
            const double factor = k == 0 ? 0.0 : k == 2 ? 2 * a0 : k * std::pow(a0, k - 1);
            const double second = k == 0 || k == 1 ? 0.0 : k == 2 ? 2.0 : k * (k - 1) * std::pow(a0, k - 2);
            chainSecondOrder(a, factor, second, [&](double d) { return factor * d; });
            break;
        }
        case Op::Neg: a = {-a0, -a.dx, -a.dy, -a.xx, -a.xy, -a.yy}; break;
        case Op::Sin: {
            a.v = std::sin(a0);
            const double c = std::cos(a0);
            chainSecondOrder(a, c, -a.v, [&](double d) { return c * d; });
            break;
        }
        case Op::Cos: {
            a.v = std::cos(a0);
            const double sine = std::sin(a0);
            chainSecondOrder(a, -sine, -a.v, [&](double d) { return -sine * d; });
            break;
        }
        case Op::Tan: { // tan' = 1/cos^2, tan'' = 2 tan / cos^2
            a.v = std::tan(a0);
            const double c = std::cos(a0);
            chainSecondOrder(a, 1 / (c * c), 2 * a.v / (c * c), [&](double d) { return d / (c * c); });
            break;
        }
        case Op::Exp: a.v = std::exp(a0); chainSecondOrder(a, a.v, a.v, [&](double d) { return a.v * d; }); break;
        case Op::Log: a.v = std::log(a0); chainSecondOrder(a, 1 / a0, -1 / (a0 * a0), [&](double d) { return d / a0; }); break;
        case Op::Sqrt: // sqrt' = 1 / (2 sqrt), sqrt'' = -1 / (4 sqrt^3)
            a.v = std::sqrt(a0);
            chainSecondOrder(a, 1 / (2 * a.v), -1 / (4 * a.v * a.v * a.v), [&](double d) { return d / (2 * a.v); });
            break;
        case Op::Abs: { // |a|'' = 0 away from 0; at 0 (a kink) taken as 0, as the gradient takes sign(0) = 0
            a.v = std::abs(a0);
            const double sign = (a0 > 0) - (a0 < 0);
            chainSecondOrder(a, sign, 0.0, [&](double d) { return sign * d; });
            break;
        }
        case Op::Tanh: { // tanh' = 1 - t^2, tanh'' = -2 t (1 - t^2)
            a.v = std::tanh(a0);
            const double slope = 1 - a.v * a.v;
            chainSecondOrder(a, slope, -2 * a.v * slope, [&](double d) { return (1 - a.v * a.v) * d; });
            break;
        }
        case Op::PushX: case Op::PushY: case Op::PushConst: break;
        }
    }
    return stack[0];
}

// Block evaluation: each stack slot holds kBlock values. With constant loop counts and operands that never alias,
// the compiler vectorizes + - * / and squares; functions call the same std:: functions as run(), one at a time.
template <class F>
void mapBlock(double *__restrict a, F f)
{
    for (std::size_t i = 0; i < kBlock; ++i)
        a[i] = f(a[i]);
}
template <class F>
void combineBlock(double *__restrict a, const double *__restrict b, F f)
{
    for (std::size_t i = 0; i < kBlock; ++i)
        a[i] = f(a[i], b[i]);
}

void runBlock(std::span<const Instruction> code, const double *xs, const double *ys, std::size_t count, double *stack)
{
    std::size_t depth = 0;
    for (const Instruction &in : code) {
        if (isPush(in.op)) {
            double *slot = stack + depth++ * kBlock;
            if (in.op == Op::PushConst) {
                std::fill_n(slot, kBlock, in.k);
            } else {
                std::copy_n(in.op == Op::PushX ? xs : ys, count, slot);
                std::fill(slot + count, slot + kBlock, 0.0); // padding of the last block: computed, never returned
            }
            continue;
        }
        depth -= isBinary(in.op);
        double *a = stack + (depth - 1) * kBlock, *b = a + kBlock;
        switch (in.op) {
        case Op::Add: combineBlock(a, b, [](double u, double v) { return u + v; }); break;
        case Op::Sub: combineBlock(a, b, [](double u, double v) { return u - v; }); break;
        case Op::Mul: combineBlock(a, b, [](double u, double v) { return u * v; }); break;
        case Op::Div: combineBlock(a, b, [](double u, double v) { return u / v; }); break;
        case Op::Pow: combineBlock(a, b, [](double u, double v) { return std::pow(u, v); }); break;
        case Op::PowConst:
            if (in.k == 2)
                mapBlock(a, [](double u) { return u * u; });
            else
                mapBlock(a, [k = in.k](double u) { return std::pow(u, k); });
            break;
        case Op::Neg: mapBlock(a, [](double u) { return -u; }); break;
        case Op::Sin: mapBlock(a, [](double u) { return std::sin(u); }); break;
        case Op::Cos: mapBlock(a, [](double u) { return std::cos(u); }); break;
        case Op::Tan: mapBlock(a, [](double u) { return std::tan(u); }); break;
        case Op::Exp: mapBlock(a, [](double u) { return std::exp(u); }); break;
        case Op::Log: mapBlock(a, [](double u) { return std::log(u); }); break;
        case Op::Sqrt: mapBlock(a, [](double u) { return std::sqrt(u); }); break;
        case Op::Abs: mapBlock(a, [](double u) { return std::abs(u); }); break;
        case Op::Tanh: mapBlock(a, [](double u) { return std::tanh(u); }); break;
        case Op::PushX: case Op::PushY: case Op::PushConst: break;
        }
    }
}

// ------------------------------------------------------------------------------------------------- parsing
struct Token {
    enum class Kind { Number, Name, Symbol, End } kind;
    std::size_t position;
    std::string_view text;
    double value = 0;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || isDigit(c); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
// A token or a stretch of the formula in a message: at most 40 characters, invisible bytes escaped (MessageText.h).
std::string quoted(std::string_view s) { return quotedExcerpt(s); }

// text[i] for a message: itself when printable ASCII, with its continuation bytes when it starts a UTF-8
// sequence ('×'), otherwise its byte value, so that a message never holds an invisible character.
std::string describeCharacter(std::string_view text, std::size_t i)
{
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t j = i + 1;
    const auto continuation = [&](std::size_t k) { return (static_cast<unsigned char>(text[k]) & 0xc0) == 0x80; };
    while (byte >= 0xc2 && byte <= 0xf4 && j < text.size() && j < i + 4 && continuation(j))
        ++j;
    if ((byte >= 0x20 && byte < 0x7f) || j > i + 1)
        return quoted(text.substr(i, j - i));
    constexpr char hex[] = "0123456789abcdef";
    return std::string("(byte 0x") + hex[byte >> 4] + hex[byte & 15] + ")";
}

class Compiler {
public:
    explicit Compiler(std::string_view text) : m_text(text) {}

    bool compile()
    {
        if (!tokenize())
            return false;
        if (m_tokens.front().kind == Token::Kind::End)
            return fail(0, "empty formula");
        if (!parseSum())
            return false;
        if (current().kind == Token::Kind::End)
            return true;
        if (isSymbol(")"))
            return fail(current().position, "')' without a matching '('");
        return missingOperator();
    }

    ExpressionError error;
    std::vector<Instruction> code;
    std::size_t maxDepth = 0; // the largest stack the code needs

private:
    bool fail(std::size_t position, std::string message)
    {
        error = {position, std::move(message)};
        return false;
    }

    bool tokenize()
    {
        const std::size_t n = m_text.size();
        for (std::size_t i = 0;;) {
            while (i < n && isSpace(m_text[i]))
                ++i;
            if (i == n) {
                m_tokens.push_back({Token::Kind::End, n, {}});
                return true;
            }
            if (isDigit(m_text[i]) || m_text[i] == '.') {
                if (!lexNumber(i))
                    return false;
            } else if (isNameStart(m_text[i])) {
                std::size_t j = i;
                while (j < n && isNameChar(m_text[j]))
                    ++j;
                m_tokens.push_back({Token::Kind::Name, i, m_text.substr(i, j - i)});
                i = j;
            } else if (std::string_view("+-*/^()").find(m_text[i]) != std::string_view::npos) {
                m_tokens.push_back({Token::Kind::Symbol, i, m_text.substr(i++, 1)});
            } else {
                return fail(i, "unexpected character " + describeCharacter(m_text, i));
            }
        }
    }

    // C notation: digits [. digits] [(e|E) [+|-] digits] with at least one mantissa digit, converted by
    // std::from_chars, which ignores the locale (a comma is never a decimal separator).
    bool lexNumber(std::size_t &i)
    {
        const std::size_t n = m_text.size();
        std::size_t j = i, digits = 0;
        for (; j < n && isDigit(m_text[j]); ++j)
            ++digits;
        if (j < n && m_text[j] == '.')
            for (++j; j < n && isDigit(m_text[j]); ++j)
                ++digits;
        if (digits == 0)
            return malformedNumber(i, "");
        if (j < n && (m_text[j] == 'e' || m_text[j] == 'E')) {
            const bool sign = j + 1 < n && (m_text[j + 1] == '+' || m_text[j + 1] == '-');
            std::size_t k = j + 1 + sign;
            if (k < n && isDigit(m_text[k])) {
                while (k < n && isDigit(m_text[k]))
                    ++k;
                j = k;
            } else if (sign || k == n || !isNameChar(m_text[k])) {
                return malformedNumber(i, ": the exponent needs digits");
            } // else a name follows ("2exp(x)"), which the parser reports as a missing operator
        }
        if (j < n && m_text[j] == '.')
            return malformedNumber(i, "");
        double value = 0;
        const auto [end, ec] = std::from_chars(m_text.data() + i, m_text.data() + j, value);
        if (ec == std::errc::result_out_of_range)
            return fail(i, "number " + quoted(m_text.substr(i, j - i)) + " is out of range");
        if (ec != std::errc() || end != m_text.data() + j)
            return malformedNumber(i, "");
        m_tokens.push_back({Token::Kind::Number, i, m_text.substr(i, j - i), value});
        i = j;
        return true;
    }

    // Quotes the whole would-be number: "1.2.3", "1e+", "..5".
    bool malformedNumber(std::size_t start, const char *why)
    {
        std::size_t j = start;
        while (j < m_text.size() && (isNameChar(m_text[j]) || m_text[j] == '.'
                                     || ((m_text[j] == '+' || m_text[j] == '-') && (m_text[j - 1] | 0x20) == 'e')))
            ++j;
        return fail(start, "malformed number " + quoted(m_text.substr(start, j - start)) + why);
    }

    // Grammar:  sum := product (('+'|'-') product)*     product := unary (('*'|'/') unary)*
    //           unary := ('+'|'-') unary | primary ['^' unary]
    // so ^ is right-associative and binds tighter than a sign on its left (-x^2 = -(x^2)) but allows one on its
    // right (2^-1).
    const Token &current() const { return m_tokens[m_next]; }
    bool isSymbol(std::string_view s) const { return current().kind == Token::Kind::Symbol && current().text == s; }

    bool parseSum() { return parseLeftAssociative("+", Op::Add, "-", Op::Sub, &Compiler::parseProduct); }
    bool parseProduct() { return parseLeftAssociative("*", Op::Mul, "/", Op::Div, &Compiler::parseUnary); }

    bool parseLeftAssociative(std::string_view s1, Op op1, std::string_view s2, Op op2, bool (Compiler::*operand)())
    {
        if (!(this->*operand)())
            return false;
        while (isSymbol(s1) || isSymbol(s2)) {
            const Op op = m_tokens[m_next++].text == s1 ? op1 : op2;
            if (!(this->*operand)())
                return false;
            emit(op);
        }
        return true;
    }

    // Every recursion (parentheses, signs, exponents) passes through here, so this is where depth is bounded.
    bool parseUnary()
    {
        if (m_nesting >= kMaxNesting)
            return fail(current().position, "formula is nested too deeply (more than 200 levels)");
        ++m_nesting;
        bool ok;
        if (isSymbol("+") || isSymbol("-")) {
            const bool negate = m_tokens[m_next++].text == "-";
            ok = parseUnary();
            if (ok && negate)
                emit(Op::Neg);
        } else {
            ok = parsePrimary();
            if (ok && isSymbol("^")) {
                ++m_next;
                ok = parseUnary();
                if (ok)
                    emit(Op::Pow);
            }
        }
        --m_nesting;
        return ok;
    }

    bool parsePrimary()
    {
        const Token &token = current();
        if (token.kind == Token::Kind::End)
            return fail(token.position, "unexpected end of formula");
        if (token.kind == Token::Kind::Symbol) {
            if (token.text == "(")
                return parseParenthesized();
            if (token.text == "*" && m_next > 0 && m_tokens[m_next - 1].text == "*")
                return fail(token.position - 1, "'**' is not an operator: write powers with ^, as in x^2");
            return fail(token.position, "expected a value but found " + quoted(token.text));
        }
        ++m_next;
        if (token.kind == Token::Kind::Number)
            emit(Op::PushConst, token.value);
        else if (token.text == "x" || token.text == "y")
            emit(token.text == "x" ? Op::PushX : Op::PushY);
        else if (token.text == "pi" || token.text == "e")
            emit(Op::PushConst, token.text == "pi" ? std::numbers::pi : std::numbers::e);
        else
            return parseFunction(token);
        return true;
    }

    bool parseFunction(const Token &name)
    {
        const auto *function = std::find_if(kFunctions.begin(), kFunctions.end(),
                                            [&](const auto &f) { return f.first == name.text; });
        if (function == kFunctions.end())
            return fail(name.position, "unknown name " + quoted(name.text)
                                           + " (known names: x, y, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)");
        if (!isSymbol("("))
            return fail(current().position, quoted(name.text) + " needs an argument in parentheses, as in "
                                                + std::string(name.text) + "(x)");
        if (!parseParenthesized())
            return false;
        emit(function->second);
        return true;
    }

    bool parseParenthesized()
    {
        const std::size_t open = m_tokens[m_next++].position;
        if (!parseSum())
            return false;
        if (isSymbol(")")) {
            ++m_next;
            return true;
        }
        if (current().kind == Token::Kind::End)
            return fail(current().position, "expected ')' to close the '(' at position " + std::to_string(open + 1));
        return missingOperator();
    }

    // Two values in a row ("2x", "x y", "(x)(y)"): implicit multiplication is deliberately not supported.
    bool missingOperator()
    {
        return fail(current().position, "expected an operator between " + quoted(m_tokens[m_next - 1].text) + " and "
                                            + quoted(current().text) + " (write 2*x, not 2x)");
    }

    // Appends op, folding constants: an operation on constants becomes one PushConst whose value run() computes,
    // so folding cannot change a result. Looking at the tape's tail is enough because a subexpression's code ends
    // with PushConst exactly when the subexpression is a constant (and then it is that one PushConst).
    void emit(Op op, double k = 0)
    {
        const std::size_t n = code.size();
        const bool lastConstant = n >= 1 && code[n - 1].op == Op::PushConst;
        if (op == Op::Pow && lastConstant) { // a^k: k moves into the instruction, which gets the a^k rules
            op = Op::PowConst;
            k = code[n - 1].k;
            code.pop_back();
            --m_depth;
        }
        const std::size_t operands = isPush(op) ? 0 : isBinary(op) ? 2 : 1;
        const auto isConstant = [](const Instruction &in) { return in.op == Op::PushConst; };
        if (operands > 0 && code.size() >= operands && std::all_of(code.end() - operands, code.end(), isConstant)) {
            std::array<Instruction, 3> tape{};
            std::copy(code.end() - operands, code.end(), tape.begin());
            tape[operands] = {op, k};
            std::array<Dual, 2> stack;
            k = run(std::span(tape.data(), operands + 1), 0, 0, stack.data()).v;
            code.resize(code.size() - operands);
            m_depth -= operands;
            op = Op::PushConst;
        }
        code.push_back({op, k});
        if (isPush(op))
            maxDepth = std::max(maxDepth, ++m_depth);
        else if (isBinary(op))
            --m_depth;
    }

    std::string_view m_text;
    std::vector<Token> m_tokens;
    std::size_t m_next = 0;
    int m_nesting = 0;
    std::size_t m_depth = 0;
};

} // namespace

struct Expression::Program {
    std::string text;
    std::vector<Instruction> code; // postfix
    std::size_t maxDepth = 0;      // stack slots the code needs
};

std::optional<Expression> Expression::parse(std::string_view text, ExpressionError *error)
{
    // Refused before any work: the formula box and a file both come here, and a megabyte-long formula would
    // otherwise be tokenized, compiled and, worse, evaluated over every surface.
    if (const std::string problem = lengthProblem(text, maxFormulaCharacters); !problem.empty()) {
        if (error)
            *error = {0, "formula too long: " + problem};
        return std::nullopt;
    }
    try {
        Compiler compiler(text);
        if (!compiler.compile()) {
            if (error)
                *error = std::move(compiler.error);
            return std::nullopt;
        }
        Program program{std::string(text), std::move(compiler.code), compiler.maxDepth};
        return Expression(std::make_unique<Program>(std::move(program)));
    } catch (const std::bad_alloc &) { // only a formula of gigabytes: still no exception out of parse()
        if (error)
            *error = {0, "formula is too long"};
        return std::nullopt;
    }
}

Expression::Expression(std::unique_ptr<Program> program) : m_program(std::move(program)) {}
Expression::Expression(const Expression &other)
    : m_program(other.m_program ? std::make_unique<Program>(*other.m_program) : nullptr)
{
}
Expression &Expression::operator=(const Expression &other)
{
    if (this != &other)
        m_program = other.m_program ? std::make_unique<Program>(*other.m_program) : nullptr;
    return *this;
}
Expression::Expression(Expression &&) noexcept = default;
Expression &Expression::operator=(Expression &&) noexcept = default;
Expression::~Expression() = default;

const std::string &Expression::text() const
{
    static const std::string empty; // of a moved-from Expression
    return m_program ? m_program->text : empty;
}

double Expression::evaluate(double x, double y, double *dfdx, double *dfdy) const
{
    if (!m_program)
        return std::numeric_limits<double>::quiet_NaN();
    // Nothing shared (several threads evaluate at once) and no allocation per call: a buffer on the stack, with
    // a heap fallback only for tapes deeper than 64 slots (formulas nested some 30 levels deep).
    std::array<Dual, 64> local;
    std::vector<Dual> large(m_program->maxDepth > local.size() ? m_program->maxDepth : 0);
    Dual *stack = large.empty() ? local.data() : large.data();
    const Dual result = run(m_program->code, x, y, stack);
    if (dfdx)
        *dfdx = result.dx;
    if (dfdy)
        *dfdy = result.dy;
    return result.v;
}

Expression::SecondOrder Expression::evaluateSecondOrder(double x, double y) const
{
    if (!m_program) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan, nan, nan, nan, nan};
    }
    std::array<Jet, 64> local; // as evaluate(): no allocation unless the tape is deeper than 64 slots
    std::vector<Jet> large(m_program->maxDepth > local.size() ? m_program->maxDepth : 0);
    const Jet r = runSecondOrder(m_program->code, x, y, large.empty() ? local.data() : large.data());
    if (!std::isfinite(r.v)) { // log(-1): the derivative formulas may still give numbers, but f has no curvature there
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {r.v, r.dx, r.dy, nan, nan, nan};
    }
    return {r.v, r.dx, r.dy, r.xx, r.xy, r.yy};
}

void Expression::evaluateMany(std::span<const double> xs, std::span<const double> ys, std::span<double> out) const
{
    const std::size_t n = std::min({xs.size(), ys.size(), out.size()});
    if (!m_program || n == 0)
        return;
    std::vector<double> stack(m_program->maxDepth * kBlock); // one allocation per call, none per point
    for (std::size_t start = 0; start < n; start += kBlock) {
        const std::size_t count = std::min(kBlock, n - start);
        runBlock(m_program->code, xs.data() + start, ys.data() + start, count, stack.data());
        std::copy_n(stack.data(), count, out.data() + start);
    }
}

} // namespace gdviz
