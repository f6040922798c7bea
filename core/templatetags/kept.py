"""`{% kept %}…{% endkept %}`: markup that is the same for every user and request in a language,
rendered once per process and kept (the fixed parts of templates/base.html: translated labels,
addresses, static files' URLs). Every page renders the frame; its fixed parts cost a `gettext`,
`reverse()` or manifest lookup each on every request otherwise (docs/performance/frame.md).

Only what cannot differ between users or requests may stand inside: text, comments,
`{% translate "literal" %}`, `{% url "name" %}` with literal arguments and `{% static "path" %}`.
Anything else (a variable, a tag that reads the context, `as` into a variable) is refused when the
template is compiled, so no personal value and nothing of a request can be kept. The rendered text
is kept per language, script prefix, URL configuration and autoescape (what the tags inside depend
on); with `DEBUG` on it is rendered every time, so an edited template or catalogue shows at once.

The frame holds a dozen kept parts: the script prefix, the URL configuration and `DEBUG`, which cannot
change while a template renders, are read once per render (each is a settings or thread-local lookup);
the language is read by every part, as `{% language %}` may change it in between.
"""

from django import template
from django.conf import settings
from django.template.base import FilterExpression, Node, TextNode, Variable
from django.template.defaulttags import CommentNode, URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()


def _literal(expression: FilterExpression | None) -> bool:
    """A value written in the template (a quoted string or a number), with no filter."""
    if expression is None:
        return True
    var = expression.var
    literal = isinstance(var, str) or (isinstance(var, Variable) and var.literal is not None)
    return literal and not expression.filters


def _constant(node: Node) -> bool:
    if isinstance(node, TextNode | CommentNode):
        return True
    if isinstance(node, TranslateNode):
        return node.asvar is None and _literal(node.filter_expression) and _literal(node.message_context)
    if isinstance(node, URLNode):
        arguments = [node.view_name, *node.args, *node.kwargs.values()]
        return node.asvar is None and all(_literal(argument) for argument in arguments)
    if isinstance(node, StaticNode):
        return node.varname is None and _literal(node.path)
    return False


_PER_RENDER = object()  # the render context's key of (DEBUG, script prefix, URL configuration)


def _per_render(context) -> tuple:
    """What a kept part depends on besides the language and autoescape, read once per render (the
    render context's first level lives as long as one top-level render)."""
    shared = context.render_context.dicts[0]
    values = shared.get(_PER_RENDER)
    if values is None:
        values = shared[_PER_RENDER] = (settings.DEBUG, get_script_prefix(), get_urlconf())
    return values


class KeptNode(Node):
    child_nodelists = ()  # nothing inside is a block or an include: `{% extends %}` need not search it

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}

    def render(self, context) -> str:
        debug, prefix, urlconf = _per_render(context)
        if debug:
            return self.nodelist.render(context)
        key = (get_language(), prefix, urlconf, context.autoescape)
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def kept(parser, token):
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    for node in nodelist:
        if not _constant(node):
            raise template.TemplateSyntaxError(
                f"{{% kept %}} holds only text, literal translate, url and static tags, not {node!r}"
            )
    return KeptNode(nodelist)
