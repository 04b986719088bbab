"""The channels, one package each (`channels/<name>/`: parse, verify, intake, sender, traits, plugin).

BUILT_IN_CHANNELS is the one list of them: their traits are registered for the domain here (whenever omnicase is
imported), and the composition root (`omnicase.wiring`) builds their intakes and senders from the plug-ins. Shared
pieces live beside the packages: the webhook channels' intake (`receive_message`), text cleaning, replay guards,
SNS signatures.
"""

from omnicase.channels.chat.plugin import PLUGIN as CHAT
from omnicase.channels.email.plugin import PLUGIN as EMAIL
from omnicase.channels.phone.plugin import PLUGIN as PHONE
from omnicase.channels.sms.plugin import PLUGIN as SMS
from omnicase.channels.wechat.plugin import PLUGIN as WECHAT
from omnicase.domain.channel_traits import register_traits

BUILT_IN_CHANNELS = (EMAIL, SMS, CHAT, WECHAT, PHONE)

register_traits(*(plugin.traits for plugin in BUILT_IN_CHANNELS))
