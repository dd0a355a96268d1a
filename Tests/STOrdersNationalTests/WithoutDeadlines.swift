@testable import STOrders

/// A province's report as the national store shows it: the national store receives no due dates
/// and no contract periods (docs/deadlines.md), so its deadlines' counts are 0 and its deadlines'
/// indicators (`outputs_accepted_on_time_share`, `orders_past_contract_end`) have no value. Every
/// other figure and indicator is compared as the file has it.
extension Figures {
    var withoutDeadlines: Figures {
        var f = self
        f.outputsWithDueDate = 0
        f.outputsOnTime = 0
        f.ordersPastContractEnd = 0
        return f
    }
}

extension IndicatorSet {
    var withoutDeadlines: IndicatorSet {
        var targets: [TargetKey: TargetValue] = [:]
        for i in indicators {
            if let key = i.key.targetKey, let target = i.target { targets[key] = target }
        }
        return IndicatorSet(figures.withoutDeadlines, targets: targets, deadlines: false)
    }
}

extension IndicatorReport {
    var withoutDeadlines: IndicatorReport {
        var report = self
        report.years = years.map { y in
            YearIndicators(
                year: y.year, total: y.total.withoutDeadlines,
                byField: y.byField.map { ($0.field, $0.indicators.withoutDeadlines) })
        }
        return report
    }
}

extension ProvinceIndicators {
    var withoutDeadlines: ProvinceIndicators {
        ProvinceIndicators(province: province, indicators: indicators.withoutDeadlines)
    }
}
