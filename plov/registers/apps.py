from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "plov.registers"
    label = "registers"
    verbose_name = "National registers: SOR, CVR, DAR imports"
