#!/usr/bin/python3
"""Golden gradient-descent trajectories for gdviz, computed with torch.optim.

Run by hand, once, with Debian's interpreter (python3-torch 1.13):

    /usr/bin/python3 tests/reference/make_reference.py [--check]

It (re)writes, next to itself, for every case: <case>.json (the scenario, in the app's format),
<case>.csv (the golden trajectory, in the headless command line's format), <case>_state.csv (the
optimizers' internal state, as torch.optim holds it, after every update), for data cases
<case>_data.csv, plus cases.txt. The test suite only reads these files; it never needs torch.

--check additionally reruns every run with its gradients perturbed by ~1e-13 (relative) and its
start by 1e-13 and reports how much the trajectory moves: golden runs must not amplify rounding
differences (no chaotic settings).
"""

import json
import math
import os
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

OUT = os.path.dirname(os.path.abspath(__file__))


def fmt(v):
    return format(float(v), '.17g')


# ---------------------------------------------------------------------------------------------
# Objectives (torch ops only, so autograd is the independent reference for the gradient)
# ---------------------------------------------------------------------------------------------

def analytic(kind, p):
    """Returns f(theta) -> scalar tensor for an analytic objective kind with parameters p."""
    pi = math.pi
    if kind == 'quadratic':
        a, b = p.get('a', 1), p.get('b', 10)
        return lambda t: 0.5 * (a * t[0] ** 2 + b * t[1] ** 2)
    if kind == 'rosenbrock':
        a, b = p.get('a', 1), p.get('b', 100)
        return lambda t: (a - t[0]) ** 2 + b * (t[1] - t[0] ** 2) ** 2
    if kind == 'beale':
        return lambda t: ((1.5 - t[0] + t[0] * t[1]) ** 2 + (2.25 - t[0] + t[0] * t[1] ** 2) ** 2
                          + (2.625 - t[0] + t[0] * t[1] ** 3) ** 2)
    if kind == 'himmelblau':
        return lambda t: (t[0] ** 2 + t[1] - 11) ** 2 + (t[0] + t[1] ** 2 - 7) ** 2
    if kind == 'booth':
        return lambda t: (t[0] + 2 * t[1] - 7) ** 2 + (2 * t[0] + t[1] - 5) ** 2
    if kind == 'matyas':
        return lambda t: 0.26 * (t[0] ** 2 + t[1] ** 2) - 0.48 * t[0] * t[1]
    if kind == 'three_hump_camel':
        return lambda t: 2 * t[0] ** 2 - 1.05 * t[0] ** 4 + t[0] ** 6 / 6 + t[0] * t[1] + t[1] ** 2
    if kind == 'six_hump_camel':
        return lambda t: ((4 - 2.1 * t[0] ** 2 + t[0] ** 4 / 3) * t[0] ** 2 + t[0] * t[1]
                          + (-4 + 4 * t[1] ** 2) * t[1] ** 2)
    if kind == 'rastrigin':
        A = p.get('A', 10)
        return lambda t: A * 2 + (t[0] ** 2 - A * torch.cos(2 * pi * t[0])) + (t[1] ** 2 - A * torch.cos(2 * pi * t[1]))
    if kind == 'ackley':
        return lambda t: (-20 * torch.exp(-0.2 * torch.sqrt(0.5 * (t[0] ** 2 + t[1] ** 2)))
                          - torch.exp(0.5 * (torch.cos(2 * pi * t[0]) + torch.cos(2 * pi * t[1]))) + math.e + 20)
    if kind == 'styblinski_tang':
        return lambda t: 0.5 * ((t[0] ** 4 - 16 * t[0] ** 2 + 5 * t[0]) + (t[1] ** 4 - 16 * t[1] ** 2 + 5 * t[1]))
    if kind == 'goldstein_price':
        def gp(t):
            x, y = t[0], t[1]
            f1 = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2)
            f2 = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y + 27 * y ** 2)
            return f1 * f2
        return gp
    if kind == 'saddle':
        return lambda t: t[0] ** 2 - t[1] ** 2
    raise ValueError(kind)


# Expression objectives: the text the app parses, and the same formula written with torch ops.
EXPRESSIONS = {
    'rotated_quadratic': (
        '0.5*(3*(0.8*x + 0.6*y)^2 + 0.5*(0.6*x - 0.8*y)^2)',
        lambda x, y: 0.5 * (3 * (0.8 * x + 0.6 * y) ** 2 + 0.5 * (0.6 * x - 0.8 * y) ** 2)),
    'wavy_bowl': (
        'sin(x)*cos(y) + 0.1*(x^2 + y^2) + 0.05*exp(0.5*x)',
        lambda x, y: torch.sin(x) * torch.cos(y) + 0.1 * (x ** 2 + y ** 2) + 0.05 * torch.exp(0.5 * x)),
    'log_mix': (
        'log(1 + (x - 1)^2 + 2*(y + 0.5)^2) + 0.2*sqrt(1 + y^2) - 0.3*tanh(x/e) + 0.1*abs(x - 4) + 0.05*cos(pi*y/2) + 0.01*tan(0.3*x)',
        lambda x, y: (torch.log(1 + (x - 1) ** 2 + 2 * (y + 0.5) ** 2) + 0.2 * torch.sqrt(1 + y ** 2)
                      - 0.3 * torch.tanh(x / math.e) + 0.1 * torch.abs(x - 4) + 0.05 * torch.cos(math.pi * y / 2)
                      + 0.01 * torch.tan(0.3 * x))),
}


def expression_objective(text):
    for _, (expr, fn) in EXPRESSIONS.items():
        if expr == text:
            return lambda t: fn(t[0], t[1])
    raise ValueError(text)


def linear_loss(t, xs, ys):
    pred = t[0] * xs + t[1]
    return ((pred - ys) ** 2).mean()


def logistic_loss(t, xs, ys):
    z = t[0] * xs + t[1]
    return torch.nn.functional.binary_cross_entropy_with_logits(z, ys, reduction='mean')


# ---------------------------------------------------------------------------------------------
# Data sets: generated with a seeded numpy, written with 17 significant digits, read back
# ---------------------------------------------------------------------------------------------

def make_data(case, spec):
    rng = np.random.default_rng(spec['seed'])
    n = spec['n']
    if spec['kind'] == 'linear_regression':
        x = rng.uniform(-2.0, 3.0, n)
        y = spec.get('w', 2.0) * x + spec.get('b', -1.0) + rng.normal(0.0, spec.get('noise', 0.5), n)
        header = 'x,y'
    else:
        x = rng.uniform(-3.0, 3.0, n)
        p = 1.0 / (1.0 + np.exp(-(spec.get('w', 1.5) * x + spec.get('b', 0.5))))
        y = (rng.uniform(0.0, 1.0, n) < p).astype(np.float64)
        header = 'x,label'
    path = os.path.join(OUT, case + '_data.csv')
    with open(path, 'w', newline='\n') as f:
        f.write(header + '\n')
        for xi, yi in zip(x, y):
            f.write(fmt(xi) + ',' + fmt(yi) + '\n')
    # Read back exactly what was written.
    with open(path) as f:
        lines = f.read().splitlines()[1:]
    xs = torch.tensor([float(l.split(',')[0]) for l in lines], dtype=torch.float64)
    ys = torch.tensor([float(l.split(',')[1]) for l in lines], dtype=torch.float64)
    return xs, ys


# ---------------------------------------------------------------------------------------------
# Optimizers and schedules
# ---------------------------------------------------------------------------------------------

def _fix_torch113_nadam():
    """torch 1.13's NAdam (single-tensor path) computes mu_product_next = mu_product * mu * mu_next,
    i.e. multiplies mu_t in twice, contradicting its own documented formula (prod_{i=1}^{t+1} mu_i).
    PyTorch fixed this in PR #92699 (torch >= 2.0): mu_product_next = mu_product * mu_next.
    The golden data follows the documented (and current torch) rule, so on a torch that still has the
    bug we swap in its single-tensor NAdam with exactly that one line corrected."""
    import inspect
    import torch.optim.nadam as nadam_module
    if 'mu_product_next = mu_product * mu * mu_next' not in inspect.getsource(nadam_module):
        return False

    def _single_tensor_nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *,
                             beta1, beta2, lr, weight_decay, momentum_decay, eps):
        for i, param in enumerate(params):
            grad = grads[i]
            exp_avg = exp_avgs[i]
            exp_avg_sq = exp_avg_sqs[i]
            mu_product = mu_products[i]
            step_t = state_steps[i]
            step_t += 1
            step = step_t.item()
            bias_correction2 = 1 - beta2 ** step
            if weight_decay != 0:
                grad = grad.add(param, alpha=weight_decay)
            mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
            mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
            mu_product *= mu
            mu_product_next = mu_product * mu_next  # the fix (torch 1.13: mu_product * mu * mu_next)
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
            param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
            param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next.item()))

    nadam_module._single_tensor_nadam = _single_tensor_nadam
    return True


NADAM_PATCHED = _fix_torch113_nadam()

OPTIMIZERS = {
    'sgd': (torch.optim.SGD, ['momentum', 'dampening', 'nesterov', 'weight_decay']),
    'adagrad': (torch.optim.Adagrad, ['lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps']),
    'rmsprop': (torch.optim.RMSprop, ['alpha', 'eps', 'weight_decay', 'momentum', 'centered']),
    'adadelta': (torch.optim.Adadelta, ['rho', 'eps', 'weight_decay']),
    'adam': (torch.optim.Adam, ['betas', 'eps', 'weight_decay', 'amsgrad']),
    'adamw': (torch.optim.AdamW, ['betas', 'eps', 'weight_decay', 'amsgrad']),
    'adamax': (torch.optim.Adamax, ['betas', 'eps', 'weight_decay']),
    'nadam': (torch.optim.NAdam, ['betas', 'eps', 'weight_decay', 'momentum_decay']),
}

RUN_KEYS = {'name', 'optimizer', 'lr', 'start', 'schedule', 'batch_size', 'shuffle'}


def scheduled_lr(lr, schedule, t):
    if schedule is None:
        return lr
    kind = schedule['kind']
    if kind == 'step':
        return lr * schedule['gamma'] ** (t // schedule['step_size'])
    if kind == 'exponential':
        return lr * schedule['gamma'] ** t
    if kind == 'inverse_time':
        return lr / (1 + schedule['decay'] * t)
    if kind == 'cosine':
        m = schedule['eta_min']
        return m + (lr - m) * (1 + math.cos(math.pi * t / schedule['t_max'])) / 2
    raise ValueError(kind)


def make_optimizer(run, theta):
    cls, keys = OPTIMIZERS[run['optimizer']]
    for k in run:
        if k not in RUN_KEYS and k not in keys:
            raise ValueError('unknown key %s for %s' % (k, run['optimizer']))
    kwargs = {k: (tuple(run[k]) if k == 'betas' else run[k]) for k in keys if k in run}
    defaults = cls([torch.zeros(2, requires_grad=True)], lr=run['lr']).defaults
    for k, v in kwargs.items():
        if defaults[k] == v:
            raise ValueError('key %s=%r is the default; do not write it' % (k, v))
    return cls([theta], lr=run['lr'], foreach=False, **kwargs)


# ---------------------------------------------------------------------------------------------
# Running a scenario
# ---------------------------------------------------------------------------------------------

class Perturbation:
    """Deterministic tiny relative perturbation of start and gradients (the --check sensitivity test)."""

    def __init__(self, delta):
        self.delta = delta
        self.rng = np.random.default_rng(12345)

    def start(self, s):
        return [v * (1 + self.delta) + self.delta for v in s]

    def hook(self, g):
        r = torch.tensor(self.rng.uniform(-1, 1, 2))
        return g * (1 + self.delta * r)


def optimizer_state(opt, theta):
    """The state torch.optim holds for the parameter theta now: [(name, [values])] in the dict's
    order. torch's own `step` counter is left out (the trajectory's step column is it), and so is a
    None entry (SGD without momentum stores momentum_buffer: None). A per-parameter quantity gives
    its two components, a scalar one (NAdam's mu_product) one value. .get, not [], so that reading
    does not create the entry in torch's defaultdict."""
    out = []
    for name, value in opt.state.get(theta, {}).items():
        if name == 'step' or value is None:
            continue
        if not isinstance(value, torch.Tensor) or value.dtype != torch.float64:
            raise RuntimeError('state %s: expected a float64 tensor, got %r' % (name, value))
        values = value.detach().reshape(-1).tolist()
        if value.dim() == 0:
            assert len(values) == 1
        elif list(value.shape) != [2]:
            raise RuntimeError('state %s: unexpected shape %s' % (name, list(value.shape)))
        out.append((name, values))
    return out


def run_one(run, objective, data, stop, perturb=None, states=None):
    """Returns rows (step, epoch, theta0, theta1, loss) of one run. If states is a list, appends to
    it (step, name, values) for the optimizer's state: after construction (step 0; in torch 1.13
    only Adagrad has state then) and after each update k (step k), read from the optimizer that
    produced the rows."""
    start = run['start'] if perturb is None else perturb.start(run['start'])
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    if perturb is not None:
        theta.register_hook(perturb.hook)
    opt = make_optimizer(run, theta)
    schedule = run.get('schedule')

    if data is None:
        full = objective
        steps = stop['max_steps']
        n = None
    else:
        xs, ys = data
        n = xs.shape[0]
        full = lambda t: objective(t, xs, ys)
        bs = run['batch_size']
        k = n if bs == 'full' else bs
        assert run['shuffle'] is False
        per_epoch = -(-n // k)
        steps = stop['max_steps'] if 'max_steps' in stop else stop['max_epochs'] * per_epoch

    def row(step, seen, t):
        with torch.no_grad():
            loss = float(full(t))
        return (step, 0.0 if n is None else seen / n, float(t[0]), float(t[1]), loss)

    rows = [row(0, 0, theta)]
    if states is not None:
        states.extend((0, name, values) for name, values in optimizer_state(opt, theta))
    seen = 0
    pos = 0  # next sample index within the epoch
    for t in range(steps):
        for g in opt.param_groups:
            g['lr'] = scheduled_lr(run['lr'], schedule, t)
        opt.zero_grad()
        if data is None:
            loss = full(theta)
        else:
            end = min(pos + k, n)
            loss = objective(theta, xs[pos:end], ys[pos:end])
            seen += end - pos
            pos = 0 if end == n else end
        loss.backward()
        opt.step()
        rows.append(row(t + 1, seen, theta.detach()))
        if states is not None:
            states.extend((t + 1, name, values) for name, values in optimizer_state(opt, theta))
    return rows


def build_objective(case, spec):
    kind = spec['kind']
    if kind == 'expression':
        return expression_objective(spec['expr']), None
    if kind in ('linear_regression', 'logistic_regression'):
        data = make_data(case, spec['gen'])
        return (linear_loss if kind == 'linear_regression' else logistic_loss), data
    params = {k: v for k, v in spec.items() if k != 'kind'}
    return analytic(kind, params), None


def write_case(case, scenario, check):
    spec = dict(scenario['objective'])
    objective, data = build_objective(case, spec)
    if 'gen' in spec:
        del spec['gen']
        spec['data'] = {'csv': case + '_data.csv'}
    out = {'objective': spec, 'runs': scenario['runs'], 'stop': scenario['stop']}
    with open(os.path.join(OUT, case + '.json'), 'w', newline='\n') as f:
        json.dump(out, f, indent=1)
        f.write('\n')

    lines = ['run,step,epoch,theta0,theta1,loss']
    state_lines = ['run,step,name,value0,value1']
    report = []
    for run in scenario['runs']:
        assert ',' not in run['name']
        states = []
        rows = run_one(run, objective, data, scenario['stop'], states=states)
        last_step = rows[-1][0]
        for (step, name, values) in states:
            assert step <= last_step
            for v in values:
                if not math.isfinite(v):
                    raise RuntimeError('%s/%s: non-finite state %s at step %d' % (case, run['name'], name, step))
            cells = [fmt(v) for v in values] + [''] * (2 - len(values))
            state_lines.append('%s,%d,%s,%s,%s' % (run['name'], step, name, cells[0], cells[1]))
        for (step, epoch, t0, t1, loss) in rows:
            for v in (t0, t1, loss):
                if not math.isfinite(v):
                    raise RuntimeError('%s/%s: non-finite value at step %d' % (case, run['name'], step))
            lines.append('%s,%d,%s,%s,%s,%s' % (run['name'], step, fmt(epoch), fmt(t0), fmt(t1), fmt(loss)))
        if check:
            delta = 1e-13
            prow = run_one(run, objective, data, scenario['stop'], Perturbation(delta))
            dev_t = max(max(abs(a[2] - b[2]), abs(a[3] - b[3])) / max(1.0, abs(a[2]), abs(a[3]))
                        for a, b in zip(rows, prow))
            dev_l = max(abs(a[4] - b[4]) / max(1e-300, abs(a[4])) for a, b in zip(rows, prow))
            # Conditioning of the printed loss: relative change under a relative theta change of eps.
            eps = 1e-14
            full = (lambda t: objective(t, *data)) if data is not None else objective
            cond = 0.0
            with torch.no_grad():
                for r in rows:
                    for sx, sy in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                        t = torch.tensor([r[2] * (1 + sx * eps), r[3] * (1 + sy * eps)])
                        cond = max(cond, abs(float(full(t)) - r[4]) / max(1e-300, abs(r[4])) / eps)
            report.append((run['name'], len(rows) - 1, dev_t / delta, dev_l / delta, cond, rows[-1]))
    with open(os.path.join(OUT, case + '.csv'), 'w', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')
    with open(os.path.join(OUT, case + '_state.csv'), 'w', newline='\n') as f:
        f.write('\n'.join(state_lines) + '\n')
    return report


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

def A(kind, **p):
    return dict(kind=kind, **p)


def R(name, optimizer, lr, start, **kw):
    r = {'name': name, 'optimizer': optimizer, 'lr': lr}
    r.update({k: v for k, v in kw.items() if k not in ('schedule', 'batch_size')})
    r['start'] = start
    if 'schedule' in kw:
        r['schedule'] = kw['schedule']
    if 'batch_size' in kw:
        r['batch_size'] = kw['batch_size']
        r['shuffle'] = False
    return r


def S(objective, runs, **stop):
    return {'objective': objective, 'runs': runs, 'stop': stop}


def LIN(seed, n, **kw):
    return {'kind': 'linear_regression', 'gen': dict(kind='linear_regression', seed=seed, n=n, **kw)}


def LOG(seed, n, **kw):
    return {'kind': 'logistic_regression', 'gen': dict(kind='logistic_regression', seed=seed, n=n, **kw)}


def EXPR(name):
    return {'kind': 'expression', 'expr': EXPRESSIONS[name][0]}


CASES = [
    # ---- plain gradient descent and momentum (sgd) -------------------------------------------
    ('quadratic_gd', S(A('quadratic'), [
        R('GD', 'sgd', 0.05, [2.0, 1.5]),
        R('GD-oscillating', 'sgd', 0.15, [-1.0, 1.0]),
    ], max_steps=120)),
    ('quadratic_params_gd', S(A('quadratic', a=2, b=0.5), [
        R('GD', 'sgd', 0.1, [-3.0, 2.5]),
        R('Momentum', 'sgd', 0.1, [-3.0, 2.5], momentum=0.5),
    ], max_steps=100)),
    ('quadratic_momentum', S(A('quadratic', a=1, b=25), [
        R('Momentum', 'sgd', 0.02, [2.5, 1.0], momentum=0.9),
        R('Momentum-nesterov', 'sgd', 0.02, [2.5, 1.0], momentum=0.9, nesterov=True),
        R('Momentum-dampened', 'sgd', 0.02, [2.5, 1.0], momentum=0.8, dampening=0.5),
    ], max_steps=150)),
    ('quadratic_weight_decay', S(A('quadratic'), [
        R('GD-wd', 'sgd', 0.03, [1.5, -2.0], weight_decay=0.5),
        R('Momentum-wd', 'sgd', 0.03, [1.5, -2.0], momentum=0.7, weight_decay=0.1),
        R('Nesterov-wd', 'sgd', 0.03, [1.5, -2.0], momentum=0.6, nesterov=True, weight_decay=0.2),
    ], max_steps=100)),
    ('rosenbrock_sgd', S(A('rosenbrock'), [
        R('GD', 'sgd', 0.001, [-1.5, 2.0]),
        R('Momentum', 'sgd', 0.0005, [-1.5, 2.0], momentum=0.9),
        R('Nesterov', 'sgd', 0.0005, [-1.5, 2.0], momentum=0.9, nesterov=True),
    ], max_steps=200)),
    ('rosenbrock_params', S(A('rosenbrock', a=0.5, b=20), [
        R('GD', 'sgd', 0.005, [-1.0, 1.5]),
        R('Adam', 'adam', 0.05, [-1.0, 1.5]),
    ], max_steps=150)),
    ('saddle_gd', S(A('saddle'), [
        R('GD', 'sgd', 0.05, [1.0, 0.005]),
        R('Momentum', 'sgd', 0.02, [1.0, 0.005], momentum=0.8),
    ], max_steps=60)),
    ('booth_sgd', S(A('booth'), [
        R('GD', 'sgd', 0.02, [-4.0, -3.0]),
        R('Momentum-dampened', 'sgd', 0.02, [-4.0, -3.0], momentum=0.5, dampening=0.9),
    ], max_steps=120)),
    ('himmelblau_sgd', S(A('himmelblau'), [
        R('GD-ne', 'sgd', 0.002, [1.0, 1.0]),
        R('GD-nw', 'sgd', 0.002, [-1.0, 1.0]),
        R('GD-sw', 'sgd', 0.002, [-1.0, -1.0]),
        R('GD-se', 'sgd', 0.002, [1.0, -1.0]),
    ], max_steps=80)),
    ('goldstein_price_sgd', S(A('goldstein_price'), [
        R('GD', 'sgd', 1e-4, [0.3, -0.7]),
        R('Momentum', 'sgd', 5e-5, [0.3, -0.7], momentum=0.8),
    ], max_steps=120)),
    ('styblinski_tang_sgd', S(A('styblinski_tang'), [
        R('GD', 'sgd', 0.01, [0.5, -0.5]),
        R('GD-far', 'sgd', 0.005, [4.0, 3.5]),
    ], max_steps=120)),
    ('rastrigin_sgd', S(A('rastrigin'), [
        R('GD', 'sgd', 0.001, [-0.7, 2.6]),
        R('GD-local', 'sgd', 0.001, [1.3, 2.2]),
    ], max_steps=150)),
    ('rastrigin_params', S(A('rastrigin', A=5), [
        R('GD', 'sgd', 0.002, [0.6, -1.4]),
        R('Adam', 'adam', 0.02, [0.6, -1.4]),
    ], max_steps=120)),
    ('ackley_sgd', S(A('ackley'), [
        R('GD', 'sgd', 0.005, [1.3, 0.7]),
        R('Momentum', 'sgd', 0.002, [2.2, -1.8], momentum=0.9),
    ], max_steps=120)),
    # ---- adagrad ------------------------------------------------------------------------------
    ('quadratic_adagrad', S(A('quadratic'), [
        R('Adagrad', 'adagrad', 0.5, [2.0, 1.5]),
        R('Adagrad-lr-decay', 'adagrad', 0.5, [2.0, 1.5], lr_decay=0.05),
        R('Adagrad-init-acc', 'adagrad', 0.5, [2.0, 1.5], initial_accumulator_value=0.1),
    ], max_steps=120)),
    ('himmelblau_adagrad', S(A('himmelblau'), [
        R('Adagrad', 'adagrad', 0.3, [0.0, 0.0]),
        R('Adagrad-wd', 'adagrad', 0.3, [0.0, 0.0], weight_decay=0.1),
        R('Adagrad-eps', 'adagrad', 0.3, [0.0, 0.0], eps=0.5),
    ], max_steps=120)),
    ('booth_adagrad_schedules', S(A('booth'), [
        R('Adagrad-exp-lr-decay', 'adagrad', 1.0, [-3.0, 5.0], lr_decay=0.01,
          schedule={'kind': 'exponential', 'gamma': 0.99}),
        R('Adagrad-inv-time', 'adagrad', 1.0, [-3.0, 5.0], schedule={'kind': 'inverse_time', 'decay': 0.02}),
    ], max_steps=120)),
    # ---- rmsprop ------------------------------------------------------------------------------
    ('quadratic_rmsprop', S(A('quadratic', b=20), [
        R('RMSprop', 'rmsprop', 0.01, [2.0, 1.5]),
        R('RMSprop-alpha-eps', 'rmsprop', 0.01, [2.0, 1.5], alpha=0.9, eps=1e-4),
    ], max_steps=120)),
    ('six_hump_camel_rmsprop', S(A('six_hump_camel'), [
        R('RMSprop-momentum', 'rmsprop', 0.002, [1.2, -0.3], momentum=0.9),
        R('RMSprop-centered', 'rmsprop', 0.005, [1.2, -0.3], centered=True),
        R('RMSprop-centered-momentum', 'rmsprop', 0.002, [1.2, -0.3], momentum=0.8, centered=True),
    ], max_steps=150)),
    ('beale_rmsprop', S(A('beale'), [
        R('RMSprop', 'rmsprop', 0.005, [1.0, 1.5]),
        R('RMSprop-centered-wd', 'rmsprop', 0.005, [1.0, 1.5], centered=True, weight_decay=0.01, alpha=0.95),
    ], max_steps=150)),
    ('rosenbrock_rmsprop_cosine', S(A('rosenbrock'), [
        R('RMSprop-cosine', 'rmsprop', 0.01, [-1.2, 1.0], schedule={'kind': 'cosine', 't_max': 150, 'eta_min': 0.001}),
        R('RMSprop-cosine-zero', 'rmsprop', 0.01, [-1.2, 1.0], schedule={'kind': 'cosine', 't_max': 150, 'eta_min': 0.0}),
    ], max_steps=150)),
    # ---- adadelta -----------------------------------------------------------------------------
    ('quadratic_adadelta', S(A('quadratic'), [
        R('Adadelta', 'adadelta', 1.0, [2.0, 1.5]),
        R('Adadelta-rho-eps', 'adadelta', 1.0, [2.0, 1.5], rho=0.95, eps=1e-4),
        R('Adadelta-lr', 'adadelta', 5.0, [2.0, 1.5]),
    ], max_steps=150)),
    ('booth_adadelta', S(A('booth'), [
        R('Adadelta-wd', 'adadelta', 10.0, [-2.0, 4.0], weight_decay=0.05),
        R('Adadelta-eps', 'adadelta', 0.1, [-2.0, 4.0], eps=1e-3),
    ], max_steps=150)),
    # ---- adam ---------------------------------------------------------------------------------
    ('rosenbrock_adam', S(A('rosenbrock'), [
        R('Adam', 'adam', 0.02, [-1.5, 2.0]),
        R('Adam-betas', 'adam', 0.02, [-1.5, 2.0], betas=[0.8, 0.99]),
        R('Adam-amsgrad', 'adam', 0.02, [-1.5, 2.0], amsgrad=True),
    ], max_steps=200)),
    ('beale_adam', S(A('beale'), [
        R('Adam', 'adam', 0.01, [2.0, 1.5]),
        R('Adam-eps', 'adam', 0.01, [2.0, 1.5], eps=1e-3),
        R('Adam-wd', 'adam', 0.01, [2.0, 1.5], weight_decay=0.1),
    ], max_steps=150)),
    ('himmelblau_adam_amsgrad', S(A('himmelblau'), [
        R('Adam-amsgrad', 'adam', 0.03, [-0.5, -1.5], amsgrad=True, betas=[0.9, 0.99]),
        R('Adam-amsgrad-wd', 'adam', 0.03, [-0.5, -1.5], amsgrad=True, weight_decay=0.05),
    ], max_steps=150)),
    ('ackley_adam', S(A('ackley'), [
        R('Adam', 'adam', 0.005, [1.6, -1.3]),
    ], max_steps=150)),
    ('goldstein_price_adam', S(A('goldstein_price'), [
        R('Adam', 'adam', 0.01, [0.4, -0.5]),
        R('Adam-betas', 'adam', 0.01, [0.4, -0.5], betas=[0.5, 0.9]),
    ], max_steps=120)),
    ('rosenbrock_adam_step', S(A('rosenbrock'), [
        R('Adam-step', 'adam', 0.05, [-1.5, 2.0], schedule={'kind': 'step', 'step_size': 50, 'gamma': 0.5}),
        R('GD-step', 'sgd', 0.0015, [-1.5, 2.0], schedule={'kind': 'step', 'step_size': 40, 'gamma': 0.7}),
    ], max_steps=150)),
    ('himmelblau_adam_exponential', S(A('himmelblau'), [
        R('Adam-exp', 'adam', 0.1, [4.0, -4.0], schedule={'kind': 'exponential', 'gamma': 0.98}),
        R('Momentum-inv-time', 'sgd', 0.002, [4.0, -4.0], momentum=0.5, schedule={'kind': 'inverse_time', 'decay': 0.05}),
    ], max_steps=120)),
    # ---- adamw --------------------------------------------------------------------------------
    ('rosenbrock_adamw', S(A('rosenbrock'), [
        R('AdamW', 'adamw', 0.02, [-1.5, 2.0]),
        R('AdamW-wd', 'adamw', 0.02, [-1.5, 2.0], weight_decay=0.1),
        R('AdamW-amsgrad', 'adamw', 0.02, [-1.5, 2.0], amsgrad=True),
    ], max_steps=200)),
    ('quadratic_adamw', S(A('quadratic', a=1, b=5), [
        R('AdamW-betas-eps', 'adamw', 0.05, [3.0, -2.0], betas=[0.85, 0.995], eps=1e-4),
        R('AdamW-no-wd', 'adamw', 0.05, [3.0, -2.0], weight_decay=0.0),
    ], max_steps=150)),
    # ---- adamax -------------------------------------------------------------------------------
    ('matyas_adamax', S(A('matyas'), [
        R('Adamax', 'adamax', 0.05, [3.0, -2.0]),
        R('Adamax-betas', 'adamax', 0.05, [3.0, -2.0], betas=[0.8, 0.99]),
        R('Adamax-eps-wd', 'adamax', 0.05, [3.0, -2.0], eps=1e-3, weight_decay=0.1),
    ], max_steps=150)),
    ('rosenbrock_adamax', S(A('rosenbrock'), [
        R('Adamax', 'adamax', 0.02, [-1.2, 1.0]),
    ], max_steps=200)),
    # ---- nadam --------------------------------------------------------------------------------
    ('three_hump_camel_nadam', S(A('three_hump_camel'), [
        R('NAdam', 'nadam', 0.02, [1.5, -1.0]),
        R('NAdam-momentum-decay', 'nadam', 0.02, [1.5, -1.0], momentum_decay=0.01),
        R('NAdam-betas-eps-wd', 'nadam', 0.02, [1.5, -1.0], betas=[0.8, 0.99], eps=1e-3, weight_decay=0.05),
    ], max_steps=150)),
    ('rosenbrock_nadam', S(A('rosenbrock'), [
        R('NAdam', 'nadam', 0.02, [-1.5, 2.0]),
        R('NAdam-cosine', 'nadam', 0.03, [-1.5, 2.0], schedule={'kind': 'cosine', 't_max': 200, 'eta_min': 0.002}),
    ], max_steps=200)),
    ('styblinski_tang_optimizers', S(A('styblinski_tang'), [
        R('Adam', 'adam', 0.05, [0.5, 0.8]),
        R('NAdam', 'nadam', 0.05, [0.5, 0.8]),
        R('Adamax', 'adamax', 0.05, [0.5, 0.8]),
    ], max_steps=120)),
    ('six_hump_camel_mix', S(A('six_hump_camel'), [
        R('Adagrad', 'adagrad', 0.1, [-1.5, 0.9]),
        R('Adadelta', 'adadelta', 0.5, [-1.5, 0.9], rho=0.8),
        R('AdamW', 'adamw', 0.02, [-1.5, 0.9]),
    ], max_steps=120)),
    ('three_hump_camel_sgd', S(A('three_hump_camel'), [
        R('GD', 'sgd', 0.02, [1.8, 0.5]),
        R('Nesterov-step', 'sgd', 0.01, [1.8, 0.5], momentum=0.8, nesterov=True,
          schedule={'kind': 'step', 'step_size': 30, 'gamma': 0.8}),
    ], max_steps=120)),
    ('matyas_gd', S(A('matyas'), [
        R('GD', 'sgd', 0.5, [4.0, -3.0]),
        R('RMSprop', 'rmsprop', 0.02, [4.0, -3.0]),
        R('RMSprop-wd', 'rmsprop', 0.02, [4.0, -3.0], weight_decay=0.2),
    ], max_steps=120)),
    # ---- expressions --------------------------------------------------------------------------
    ('expression_rotated_quadratic', S(EXPR('rotated_quadratic'), [
        R('GD', 'sgd', 0.1, [2.0, -1.0]),
        R('Momentum', 'sgd', 0.1, [2.0, -1.0], momentum=0.6),
        R('Adam', 'adam', 0.05, [2.0, -1.0]),
    ], max_steps=120)),
    ('expression_wavy_bowl', S(EXPR('wavy_bowl'), [
        R('GD', 'sgd', 0.1, [0.5, 0.3]),
        R('RMSprop', 'rmsprop', 0.01, [0.5, 0.3]),
    ], max_steps=120)),
    ('expression_log_mix', S(EXPR('log_mix'), [
        R('GD', 'sgd', 0.05, [-1.0, 1.5]),
        R('NAdam', 'nadam', 0.03, [-1.0, 1.5]),
    ], max_steps=120)),
    # ---- linear regression --------------------------------------------------------------------
    ('linreg_full_sgd', S(LIN(1, 50), [
        R('GD', 'sgd', 0.05, [0.0, 0.0], batch_size='full'),
        R('Momentum', 'sgd', 0.02, [0.0, 0.0], momentum=0.9, batch_size='full'),
    ], max_epochs=100)),
    ('linreg_stochastic_sgd', S(LIN(2, 40), [
        R('SGD', 'sgd', 0.01, [0.0, 0.0], batch_size=1),
        R('SGD-nesterov', 'sgd', 0.005, [0.0, 0.0], momentum=0.5, nesterov=True, batch_size=1),
    ], max_epochs=3)),
    ('linreg_minibatch', S(LIN(3, 50, w=-1.5, b=0.5, noise=0.3), [
        R('Minibatch-SGD', 'sgd', 0.05, [1.0, 1.0], batch_size=16),
        R('Minibatch-Adam', 'adam', 0.1, [1.0, 1.0], batch_size=16),
        R('Minibatch-RMSprop', 'rmsprop', 0.02, [1.0, 1.0], batch_size=16),
    ], max_epochs=25)),
    ('linreg_minibatch_steps', S(LIN(4, 70, w=0.5, b=2.0), [
        R('Adagrad-k8', 'adagrad', 0.5, [-1.0, 0.0], batch_size=8),
        R('Adamax-k32', 'adamax', 0.1, [-1.0, 0.0], batch_size=32),
        R('NAdam-full', 'nadam', 0.1, [-1.0, 0.0], batch_size='full'),
    ], max_steps=100)),
    ('linreg_schedules', S(LIN(5, 60), [
        R('SGD-step-k10', 'sgd', 0.05, [3.0, -2.0], batch_size=10, schedule={'kind': 'step', 'step_size': 30, 'gamma': 0.5}),
        R('AdamW-cosine-k7', 'adamw', 0.1, [3.0, -2.0], batch_size=7, schedule={'kind': 'cosine', 't_max': 90, 'eta_min': 0.0}),
        R('Adadelta-full', 'adadelta', 1.0, [3.0, -2.0], batch_size='full', weight_decay=0.01),
    ], max_epochs=10)),
    ('linreg_large', S(LIN(6, 200, w=3.0, b=1.0, noise=1.0), [
        R('SGD-k50', 'sgd', 0.02, [0.0, 0.0], batch_size=50, weight_decay=0.01),
        R('Adam-k64', 'adam', 0.05, [0.0, 0.0], batch_size=64, weight_decay=0.01),
    ], max_epochs=30)),
    # ---- logistic regression ------------------------------------------------------------------
    ('logreg_full_gd', S(LOG(11, 100), [
        R('GD', 'sgd', 0.5, [0.0, 0.0], batch_size='full'),
        R('Momentum', 'sgd', 0.2, [0.0, 0.0], momentum=0.9, batch_size='full'),
    ], max_epochs=100)),
    ('logreg_stochastic', S(LOG(12, 60, w=2.0, b=-0.5), [
        R('SGD', 'sgd', 0.1, [-1.0, 1.0], batch_size=1),
        R('Adagrad', 'adagrad', 0.2, [-1.0, 1.0], batch_size=1),
    ], max_epochs=2)),
    ('logreg_minibatch', S(LOG(13, 90), [
        R('Adam-k32', 'adam', 0.05, [0.5, -0.5], batch_size=32),
        R('Adamax-k32', 'adamax', 0.05, [0.5, -0.5], batch_size=32, eps=1e-6),
        R('RMSprop-k20', 'rmsprop', 0.01, [0.5, -0.5], batch_size=20, momentum=0.5),
    ], max_epochs=30)),
    ('logreg_schedules', S(LOG(14, 80, w=-1.0, b=1.0), [
        R('SGD-exp-k16', 'sgd', 1.0, [0.0, 0.0], batch_size=16, schedule={'kind': 'exponential', 'gamma': 0.97}),
        R('NAdam-inv-time-k5', 'nadam', 0.05, [0.0, 0.0], batch_size=5, schedule={'kind': 'inverse_time', 'decay': 0.01}),
    ], max_steps=120)),
    ('logreg_optimizers', S(LOG(15, 120, w=1.0, b=0.0), [
        R('Adadelta-k24', 'adadelta', 1.0, [2.0, 2.0], batch_size=24),
        R('AdamW-full', 'adamw', 0.05, [2.0, 2.0], batch_size='full', amsgrad=True),
        R('SGD-dampened-k50', 'sgd', 0.3, [2.0, 2.0], batch_size=50, momentum=0.9, dampening=0.3),
    ], max_epochs=20)),
]


def main():
    check = '--check' in sys.argv
    names = [c for c, _ in CASES]
    assert len(set(names)) == len(names)
    for case, scenario in CASES:
        report = write_case(case, scenario, check)
        for name, steps, amp_t, amp_l, cond, last in report:
            flag = '  <-- SENSITIVE' if amp_t > 1e4 or amp_l > 1e5 or cond > 1e5 else ''
            print('%-30s %-26s steps=%4d amp_theta=%8.3g amp_rel_loss=%8.3g loss_cond=%8.3g end=(%.6g, %.6g) loss=%.6g%s'
                  % (case, name, steps, amp_t, amp_l, cond, last[2], last[3], last[4], flag))
    with open(os.path.join(OUT, 'cases.txt'), 'w', newline='\n') as f:
        f.write('\n'.join(names) + '\n')
    print('%d cases, torch %s%s' % (len(names), torch.__version__,
                                    ' (NAdam mu_product_next fix applied)' if NADAM_PATCHED else ''))


if __name__ == '__main__':
    main()
