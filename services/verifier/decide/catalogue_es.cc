#include "services/verifier/decide/catalogue_es.h"

namespace subguard::verifier::decide {
namespace {

// Telegram's Spanish admin screen names the rights "Suspender usuarios" and "Eliminar mensajes".
// Setting names and values stay as typed (policy, mute, on, off...): they are what /settings takes.
constexpr Catalogue kSpanish = {
    .help_private =
        "Reservo un grupo para los miembros de tus canales: quien escribe allí sin haberse unido a ellos "
        "queda silenciado y recibe una invitación a unirse primero.\n\n"
        "Configuración:\n"
        "1. Añádeme a tu grupo como administrador con los permisos \"Suspender usuarios\" y \"Eliminar "
        "mensajes\".\n"
        "2. Añádeme a cada canal como administrador, para que pueda ver quién se unió.\n"
        "3. En el grupo, envía /protect @tucanal (puedes indicar varios canales).\n\n"
        "Comandos en el grupo (solo administradores): /protect, /unprotect, /status, /settings, /exempt, "
        "/unexempt, /verifyall, /help.",
    .help_group =
        "Administradores: /protect @canal obliga a unirse al canal antes de escribir aquí; /status muestra la "
        "configuración; /settings muestra y cambia qué pasa con quien no es miembro; /exempt <id de usuario> "
        "permite escribir a alguien sin unirse; /verifyall vuelve a comprobar a todos los miembros que he visto "
        "aquí; /unprotect lo desactiva. Necesito ser administrador aquí "
        "(Suspender usuarios, Eliminar mensajes) y en cada canal.",
    .use_in_group = "Envía este comando en el grupo que quieres proteger.",
    .need_supergroup =
        "Esto solo funciona en supergrupos. Haz el grupo público una vez, o cambia la visibilidad de su "
        "historial, y Telegram lo convertirá; luego inténtalo de nuevo.",
    .not_admin = "Solo los administradores del grupo pueden usar este comando.",
    .protect_usage = "Uso: /protect @canal [@canal2 ...]",
    .bot_needs_rights = "Necesito ser administrador aquí con estos permisos: $0.",
    .right_restrict = "Suspender usuarios",
    .right_delete = "Eliminar mensajes",
    .channel_bad_ref =
        "$0 no es un canal que yo pueda buscar: envía su @nombre de usuario, su enlace t.me o su id numérico.",
    .channel_not_found = "No puedo ver $0. Añádeme como administrador y vuelve a intentarlo.",
    .channel_wrong_type = "$0 no es un canal.",
    .channel_bot_not_admin = "No soy administrador en $0. Añádeme allí como administrador para ver quién se unió.",
    .protect_failed = "La protección aún no está activa:\n$0",
    .protected_ok = "La protección está activa. Los miembros deben unirse a $0 antes de escribir aquí.",
    .unprotected = "La protección está desactivada. La configuración se conserva: /protect la vuelve a activar.",
    .not_protected = "Este grupo no está protegido. Envía /protect @canal para empezar.",
    .status_on = "La protección está activa.\nCanales:\n$0\n$1\nSilenciados por mí y aún sin verificar: $2.",
    .status_off = "La protección está desactivada.",
    .status_channel_ok = "• $0: bien",
    .status_channel_unseen = "• $0: no puedo verlo; añádeme allí como administrador",
    .status_channel_not_admin = "• $0: no soy administrador allí; no puedo comprobar a los miembros",
    .status_rights_ok = "Mis permisos aquí: bien.",
    .status_rights_missing = "Mis permisos aquí: falta $0.",
    .prompt = "{user}, para escribir en este grupo, únete primero a {channels} y luego pulsa el botón de abajo.",
    .button_joined = "Ya me uní",
    .button_join = "Unirme a $0",
    .check_not_for_you = "Este botón no es para ti.",
    .check_missing = "Aún no te has unido a $0.",
    .check_verified = "¡Gracias! Ya puedes escribir en el grupo.",
    .check_bot_not_admin =
        "Ya no puedo quitar restricciones aquí: ya no soy administrador con \"Suspender usuarios\". Pide "
        "ayuda a los administradores del grupo.",
    .settings_view =
        "Configuración:\n"
        "• policy: $0\n"
        "• prompt: $1\n"
        "• prompt_delete: $2\n"
        "• mute: $3\n"
        "• join: $4\n"
        "• join_requests: $8\n"
        "• bots: $5\n"
        "• silent: $9\n"
        "• language: $6\n"
        "Usuarios exentos: $7\n\n"
        "Cambia uno con /settings <nombre> <valor>:\n"
        "policy mute | delete | mute_and_delete | kick\n"
        "prompt <texto con {user} y {channels}> | default\n"
        "prompt_delete <segundos, p. ej. 60 o 5m> | off\n"
        "mute until_verified | <tiempo, p. ej. 30m, 12h, 7d>\n"
        "join on | off (comprobar a los nuevos miembros al unirse)\n"
        "join_requests on | off (una solicitud pendiente para unirse a un canal cuenta como unión)\n"
        "bots on | off (aplicar la política también a otros bots)\n"
        "silent on | off (restringir sin ningún mensaje; unirse a los canales levanta el silencio)\n"
        "language en | es",
    .settings_unknown = "No existe el ajuste \"$0\". Envía /settings para verlos todos.",
    .settings_bad_value = "\"$1\" no es un valor válido para $0. Envía /settings para ver cuáles acepta.",
    .settings_changed = "Hecho: $0 ahora es $1.",
    .value_on = "on",
    .value_off = "off",
    .value_default_prompt = "default (el predeterminado)",
    .value_until_verified = "hasta verificar",
    .value_keep_prompt = "off (se conserva hasta que el usuario verifique)",
    .value_none = "ninguno",
    .exempt_usage =
        "Uso: /exempt <id de usuario>, o responde con /exempt al mensaje del usuario (/unexempt igual). Los "
        "usuarios exentos pueden escribir sin unirse.",
    .exempted = "El usuario $0 está exento: nunca lo restringiré aquí.",
    .unexempted = "El usuario $0 ya no está exento.",
    .not_exempted = "El usuario $0 no estaba exento.",
    .apikey_issued =
        "Tu clave de la API de administración (sustituye a cualquier anterior; mantenla en secreto):\n$0\n\n"
        "Envíala como \"authorization: Bearer <clave>\" en cada llamada. Solo da acceso a los grupos que "
        "protegiste y a los monitores que añadiste.",
    .apikey_private_only = "Envíame /apikey en un chat privado: una clave no debe mostrarse en un grupo.",
    .owner_bot_removed =
        "Me sacaron de \"$0\" o ya no soy administrador allí, así que ya no está protegido. Vuelve a añadirme "
        "como administrador con \"Suspender usuarios\" y \"Eliminar mensajes\".",
    .owner_bot_rights =
        "En \"$0\" me faltan estos permisos: $1. La protección allí no funciona hasta que los tenga de nuevo.",
    .owner_bot_channel_admin =
        "Ya no soy administrador en $0, así que no puedo ver quién se unió y no puedo verificar a los miembros "
        "de \"$1\". Vuelve a añadirme a $0 como administrador.",
    .status_silent =
        "El modo silencioso está activo: quien no es miembro queda restringido sin ningún mensaje; unirse lo "
        "levanta.",
    .status_errors = "Últimos errores de Telegram:\n$0",
    .status_error = "• $0 UTC, $1: $2",
    .verifyall_started =
        "Compruebo los $0 miembros que he visto aquí contra los canales vinculados. Quien no esté suscrito "
        "recibe el mismo trato que si acabara de escribir. Este mensaje muestra el progreso.",
    .verifyall_running = "Ya hay una comprobación en curso: $0 de $1 miembros comprobados, $2 restringidos.",
    .verifyall_progress =
        "Compruebo los miembros que he visto aquí: $0 de $1 comprobados, $2 restringidos hasta ahora.",
    .verifyall_summary = "Comprobación terminada: comprobados $0, restringidos $1.",
    .protected_basic_group =
        "La protección está activa. Los miembros deben unirse a $0 antes de escribir aquí. Este es un grupo "
        "básico, donde Telegram deja a los bots eliminar mensajes pero no silenciar: hasta que sea un "
        "supergrupo, elimino los mensajes de quien no es miembro y le pido que se una. Toda la configuración se "
        "conserva cuando Telegram convierte el grupo.",
    .monitor_help =
        "Monitores de reenvío:\n"
        "/monitor add <origen> <destino> [forward|copy] [edits] [contains:<texto>] [media:any|text|media]\n"
        "/monitor add <origen> record\n"
        "/monitor list\n"
        "/monitor remove <id>\n"
        "/monitor status",
    .monitor_added = "Monitor añadido: $0",
    .monitor_removed = "Monitor #$0 eliminado.",
    .monitor_not_yours = "No tienes ningún monitor #$0.",
    .monitor_list = "Tus monitores:\n$0",
    .monitor_list_empty = "No tienes monitores. /monitor add <origen> <destino>",
    .monitor_status = "$0 monitor(es). Chats:\n$1",
    .monitor_status_empty = "No tienes monitores.",
    .monitor_status_chat = "$0 $1: $2 (bot: $3, enviados $4, fallidos $5, fiabilidad $6$7)",
    .monitor_ready = "listo",
    .monitor_not_ready = "no está listo, $0",
    .monitor_bot_unknown = "desconocido",
    .monitor_status_held = ", retenidos $0",
    .monitor_status_error = ", último error: $0",
    .monitor_same_chat = "El origen y el destino son el mismo chat.",
    .monitor_bad_ref = "$0 no es un chat que pueda buscar (@nombre o id).",
    .monitor_not_found = "No encuentro $0.",
    .monitor_not_a_source = "$0 no es un canal ni un grupo: solo esos pueden ser origen.",
    .monitor_user_not_admin = "Debes ser administrador de $0.",
    .monitor_bot_source = "Hazme administrador de $0 para que vea sus mensajes.",
    .monitor_bot_dest_admin = "Hazme administrador de $0 para que pueda publicar allí.",
    .monitor_bot_dest_member = "Hazme miembro de $0 para que pueda publicar allí.",
    .monitor_add_usage = "uso: /monitor add <origen> <destino> [forward|copy|record]",
    .monitor_remove_usage = "uso: /monitor remove <id>",
    .monitor_need_dest = "forward y copy necesitan un chat de destino",
    .monitor_bad_media = "media: admite any, text o media",
    .monitor_unknown_option = "opción desconocida $0",
};

}  // namespace

const Catalogue& SpanishCatalogue() { return kSpanish; }

}  // namespace subguard::verifier::decide
