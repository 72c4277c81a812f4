from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "saylau.analysis"
    label = "analysis"
    verbose_name = "Analysis"
