# ChatApp in a container: docker-compose up (see docker-compose.yml), or
#   docker build -t chatapp . && docker run -p 5000:5000 -v chat-data:/data chatapp

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore before copying the code, so a code change reuses the restored packages layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY ChatApp/ChatApp.csproj ChatApp/
RUN dotnet restore ChatApp/ChatApp.csproj
COPY . .
RUN dotnet publish ChatApp -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The database, stored files and data-protection keys live in /data: mount a volume there to keep them.
# The image's non-root user owns it, so a fresh named volume starts out writable.
RUN mkdir -p /data /files && chown "$APP_UID" /data /files
USER $APP_UID
VOLUME /data
ENV Chat__DataDir=/data \
    ASPNETCORE_URLS=http://+:5000 \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 5000
ENTRYPOINT ["dotnet", "ChatApp.dll"]
